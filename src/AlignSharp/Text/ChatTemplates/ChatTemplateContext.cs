namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// The variables a Hugging Face chat template reads besides the messages.
/// </summary>
/// <param name="BosToken">The tokenizer's bos_token text; templates that write it (Llama, Mistral) fail without it.</param>
/// <param name="EosToken">The tokenizer's eos_token text; templates that end assistant turns with it (Llama 2, Mistral, Zephyr) fail without it.</param>
/// <param name="DateString">Llama 3.1/3.2 "Today Date" (e.g. "26 Jul 2024"); null means the template's own default.</param>
/// <param name="EnableThinking">Qwen3's enable_thinking; false makes the generation prompt an empty think block, null leaves it undefined.</param>
public sealed record ChatTemplateContext(
    string? BosToken,
    string? EosToken,
    string? DateString = null,
    bool? EnableThinking = null)
{
    /// <summary>The special-token strings of <paramref name="tokenizer"/>, other variables left at the templates' defaults.</summary>
    public static ChatTemplateContext For(ITokenizer tokenizer) => new(tokenizer.BosToken, tokenizer.EosToken);
}

namespace AlignSharp.Text;

/// <summary>
/// What tokenizer_config.json / special_tokens_map.json say about a tokenizer beyond its vocabulary.
/// </summary>
/// <param name="ChatTemplate">The default Jinja chat template, or null.</param>
/// <param name="NamedChatTemplates">All named templates (e.g. "default", "tool_use") when the config holds a list.</param>
/// <param name="BosToken">bos_token (a string, or the content of an AddedToken object).</param>
/// <param name="EosToken">eos_token.</param>
/// <param name="PadToken">pad_token.</param>
/// <param name="UnkToken">unk_token.</param>
/// <param name="AddBosToken">add_bos_token when the config sets it.</param>
/// <param name="AddEosToken">add_eos_token when the config sets it.</param>
/// <param name="ModelMaxLength">model_max_length; null when absent or the "unlimited" sentinel (≥ 1e18).</param>
public sealed record TokenizerSettings(
    string? ChatTemplate,
    IReadOnlyDictionary<string, string> NamedChatTemplates,
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? UnkToken,
    bool? AddBosToken,
    bool? AddEosToken,
    long? ModelMaxLength)
{
    public static TokenizerSettings Empty { get; } =
        new(null, new Dictionary<string, string>(), null, null, null, null, null, null, null);

    public SpecialTokenRoles Roles => new(BosToken, EosToken, PadToken, UnkToken);
}

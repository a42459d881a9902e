namespace AlignSharp.Data;

/// <summary>
/// Explicit truncation, with TRL's names. Prompts are cut from the LEFT (the end of a prompt, next to
/// the completion, matters most), completions from the right. Null means no limit.
/// </summary>
/// <param name="MaxLength">max_length: prompt plus completion, in tokens.</param>
/// <param name="MaxPromptLength">max_prompt_length: prompt alone, in tokens.</param>
public sealed record TruncationOptions(int? MaxLength = null, int? MaxPromptLength = null)
{
    public static TruncationOptions None { get; } = new();

    public void Validate()
    {
        if (MaxLength is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "max_length must be positive");
        if (MaxPromptLength is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxPromptLength), MaxPromptLength, "max_prompt_length must be positive");
    }
}

namespace AlignSharp.Text;

/// <summary>A tokenizer together with the settings its folder declared.</summary>
public sealed record LoadedTokenizer(ITokenizer Tokenizer, TokenizerSettings Settings)
{
    /// <summary>The tokenizer_config.json text it was loaded from, kept so Save preserves unknown keys.</summary>
    internal string? SourceConfigJson { get; init; }
}

namespace AlignSharp.Text;

/// <summary>A tokenizer that can write the model file(s) of a Hugging Face folder.</summary>
internal interface ITokenizerFiles
{
    /// <summary>File name (e.g. tokenizer.json) → exact content to write.</summary>
    IReadOnlyDictionary<string, byte[]> ModelFiles();

    /// <summary>Added tokens as tokenizer_config.json's added_tokens_decoder wants them.</summary>
    IReadOnlyList<AddedToken> AddedTokens { get; }
}

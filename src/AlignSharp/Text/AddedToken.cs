namespace AlignSharp.Text;

/// <summary>One entry of tokenizer.json's added_tokens: a string matched in raw text before the model runs.</summary>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool SingleWord = false,
    bool LStrip = false,
    bool RStrip = false,
    bool Normalized = false);

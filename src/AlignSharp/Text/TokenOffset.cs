namespace AlignSharp.Text;

/// <summary>
/// The characters [<see cref="Start"/>, <see cref="End"/>) of the original text one token came from
/// (transformers' offset mapping). Zero-width for a token that covers no character (an added BOS,
/// SentencePiece's dummy-prefix "▁"); tokens holding parts of one character's UTF-8 bytes share its range.
/// </summary>
public readonly record struct TokenOffset(int Start, int End)
{
    public int Length => End - Start;

    public bool IsEmpty => End <= Start;

    public bool Contains(int index) => index >= Start && index < End;
}

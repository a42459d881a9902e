namespace AlignSharp.Text.ChatTemplates;

/// <summary>A range of characters [<see cref="Start"/>, <see cref="End"/>) in a rendered chat.</summary>
public readonly record struct CharSpan(int Start, int Length)
{
    public int End => Start + Length;

    public bool Contains(int index) => index >= Start && index < End;
}

using System.Text;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>
/// Text on its way through the pipeline (Hugging Face's NormalizedString): each UTF-16 unit remembers the
/// range of the original text it came from, so token offsets survive normalizers and pre-tokenizers.
/// Inserted characters (a prepended "▁", ByteLevel's prefix space) are zero-width where they were inserted;
/// characters produced from several original ones (NFC, a Replace match) carry the whole source range.
/// Untracked text (plain Encode, which needs no offsets) runs the same operations without the bookkeeping.
/// </summary>
internal sealed class AlignedText
{
    // Null when untracked.
    private readonly int[]? _starts;
    private readonly int[]? _ends;
    // Where an empty text sits in the original, so insertions into it still have a position.
    private readonly int _anchor;

    private AlignedText(string text, int[]? starts, int[]? ends, int anchor)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
        _anchor = anchor;
    }

    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>False when the text carries no alignment (then every range is empty).</summary>
    public bool IsTracked => _starts is not null;

    /// <summary>Unchanged text that starts at <paramref name="offset"/> of the original; with <paramref name="track"/> false, no alignment is kept.</summary>
    public static AlignedText Original(string text, int offset, bool track = true)
    {
        if (!track) return new AlignedText(text, null, null, 0);
        var starts = new int[text.Length];
        var ends = new int[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            starts[i] = offset + i;
            ends[i] = offset + i + 1;
        }
        return new AlignedText(text, starts, ends, offset);
    }

    /// <summary>The original position before unit <paramref name="index"/> (the end of the text when index = Length).</summary>
    public int PositionBefore(int index) =>
        _starts is null || _ends is null ? 0 : index < Length ? _starts[index] : Length == 0 ? _anchor : _ends[^1];

    /// <summary>The original range of units [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public TokenOffset OriginalRange(int start, int end)
    {
        if (_starts is null || _ends is null) return default;
        if (end <= start) return new TokenOffset(PositionBefore(start), PositionBefore(start));
        var from = _starts[start];
        var to = from;
        for (var i = start; i < end; i++) to = Math.Max(to, _ends[i]);
        return new TokenOffset(from, to);
    }

    public AlignedText Slice(int start, int length) =>
        _starts is null || _ends is null
            ? new(Text.Substring(start, length), null, null, 0)
            : new(Text.Substring(start, length), _starts[start..(start + length)], _ends[start..(start + length)], PositionBefore(start));

    /// <summary>Same alignment, other characters: for rewrites that keep every unit in place (space → "▁", lowercase).</summary>
    public AlignedText WithSameLengthText(string text) =>
        text.Length == Length ? new AlignedText(text, _starts, _ends, _anchor) : throw new ArgumentException("length changed", nameof(text));

    /// <summary><paramref name="prefix"/> inserted in front, zero-width.</summary>
    public AlignedText Prepend(string prefix)
    {
        if (!IsTracked) return new AlignedText(prefix + Text, null, null, 0);
        var builder = NewBuilder();
        builder.AppendInserted(prefix, PositionBefore(0));
        builder.AppendRange(this, 0, Length);
        return builder.Build();
    }

    /// <summary>Builds a rewritten text unit by unit.</summary>
    public sealed class Builder(int anchor, bool track)
    {
        private readonly StringBuilder _text = new();
        private readonly List<int>? _starts = track ? new() : null;
        private readonly List<int>? _ends = track ? new() : null;

        /// <summary>Units [start, end) of <paramref name="source"/> copied with their alignment.</summary>
        public void AppendRange(AlignedText source, int start, int end)
        {
            _text.Append(source.Text, start, end - start);
            if (_starts is null || _ends is null || source._starts is null || source._ends is null) return;
            for (var i = start; i < end; i++)
            {
                _starts.Add(source._starts[i]);
                _ends.Add(source._ends[i]);
            }
        }

        /// <summary>Every unit of <paramref name="text"/> made from the original <paramref name="range"/>.</summary>
        public void AppendReplacement(string text, TokenOffset range)
        {
            _text.Append(text);
            if (_starts is null || _ends is null) return;
            for (var i = 0; i < text.Length; i++)
            {
                _starts.Add(range.Start);
                _ends.Add(range.End);
            }
        }

        /// <summary>Units that come from no original character, zero-width at <paramref name="position"/>.</summary>
        public void AppendInserted(string text, int position) => AppendReplacement(text, new TokenOffset(position, position));

        public AlignedText Build() =>
            _starts is null || _ends is null ? new(_text.ToString(), null, null, 0) : new(_text.ToString(), [.. _starts], [.. _ends], anchor);
    }

    public Builder NewBuilder() => new(_anchor, IsTracked);
}

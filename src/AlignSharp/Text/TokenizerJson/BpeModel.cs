using System.Collections.Concurrent;
using System.Text;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>One merge rule: the pair (Left, Right) becomes Merged; lower Rank merges first.</summary>
internal readonly record struct BpeMerge(int Rank, int Merged);

/// <summary>A word's tokens and, for each, the units [Start, End) of the word it spells.</summary>
internal sealed record BpeWord(int[] Ids, int[] Starts, int[] Ends);

/// <summary>What a BPE model does with a character its vocabulary lacks.</summary>
/// <param name="ByteFallback">Spell the character's UTF-8 bytes with &lt;0xNN&gt; tokens (SentencePiece style).</param>
/// <param name="UnknownId">The unk token's id, or null (then the character is dropped, as Hugging Face does).</param>
/// <param name="FuseUnknown">Consecutive unknowns become one unk.</param>
/// <param name="IgnoreMerges">A word that is itself in the vocabulary is emitted whole (Llama 3).</param>
internal sealed record BpeOptions(bool ByteFallback, int? UnknownId, bool FuseUnknown, bool IgnoreMerges);

/// <summary>
/// Hugging Face's BPE model: a word starts as one symbol per character and the adjacent pair with the
/// lowest merge rank is merged (leftmost first on ties) until no rule applies. Results are cached per word.
/// </summary>
internal sealed class BpeModel
{
    // Words longer than this are not cached: SentencePiece-style files without a pre-tokenizer pass whole texts.
    private const int MaxCachedWordLength = 64;
    private const int MaxCacheEntries = 500_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(int Left, int Right), BpeMerge> _merges;
    private readonly BpeOptions _options;
    private readonly int[] _byteFallbackIds;
    // Single-character tokens by code point: a word's first symbols are found without allocating strings.
    private readonly Dictionary<int, int> _runeIds = new();
    private readonly ConcurrentDictionary<string, BpeWord> _cache = new(StringComparer.Ordinal);
    private int _cacheEntries; // ConcurrentDictionary.Count takes every lock, so the size is counted here

    public BpeModel(Dictionary<string, int> vocab, Dictionary<(int Left, int Right), BpeMerge> merges, BpeOptions options)
    {
        _vocab = vocab;
        _merges = merges;
        _options = options;
        _byteFallbackIds = new int[256];
        for (var b = 0; b < 256; b++)
            _byteFallbackIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        foreach (var (token, id) in vocab)
            if (Rune.TryGetRuneAt(token, 0, out var rune) && rune.Utf16SequenceLength == token.Length)
                _runeIds[rune.Value] = id;
    }

    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <summary>Appends the tokens of <paramref name="word"/> and, unless <paramref name="ranges"/> is null, the units [start, end) of the word each spells.</summary>
    public void Encode(string word, List<int> output, List<(int Start, int End)>? ranges)
    {
        if (word.Length == 0) return;
        if (_options.IgnoreMerges && _vocab.TryGetValue(word, out var whole))
        {
            output.Add(whole);
            ranges?.Add((0, word.Length));
            return;
        }
        if (!_cache.TryGetValue(word, out var encoded))
        {
            encoded = Merge(InitialSymbols(word));
            if (word.Length <= MaxCachedWordLength && Volatile.Read(ref _cacheEntries) < MaxCacheEntries && _cache.TryAdd(word, encoded))
                Interlocked.Increment(ref _cacheEntries);
        }
        output.AddRange(encoded.Ids);
        if (ranges is null) return;
        for (var i = 0; i < encoded.Ids.Length; i++) ranges.Add((encoded.Starts[i], encoded.Ends[i]));
    }

    /// <summary>One symbol per character (or per UTF-8 byte with byte fallback, each spanning the character), with its units.</summary>
    private List<(int Id, int Start, int End)> InitialSymbols(string word)
    {
        var symbols = new List<(int Id, int Start, int End)>(word.Length);
        var previousWasUnknown = false;
        Span<byte> utf8 = stackalloc byte[4];
        var position = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            var start = position;
            var end = position + rune.Utf16SequenceLength;
            position = end;
            if (_runeIds.TryGetValue(rune.Value, out var id))
            {
                symbols.Add((id, start, end));
                previousWasUnknown = false;
                continue;
            }
            if (_options.ByteFallback)
            {
                var count = rune.EncodeToUtf8(utf8);
                var allPresent = true;
                for (var i = 0; i < count; i++) allPresent &= _byteFallbackIds[utf8[i]] >= 0;
                if (allPresent)
                {
                    for (var i = 0; i < count; i++) symbols.Add((_byteFallbackIds[utf8[i]], start, end));
                    previousWasUnknown = false;
                    continue;
                }
            }
            if (_options.UnknownId is not { } unk) continue;
            if (previousWasUnknown && _options.FuseUnknown) symbols[^1] = (unk, symbols[^1].Start, end);
            else symbols.Add((unk, start, end));
            previousWasUnknown = true;
        }
        return symbols;
    }

    private BpeWord Merge(List<(int Id, int Start, int End)> symbols)
    {
        var count = symbols.Count;
        var ids = new int[count];
        var starts = new int[count];
        var ends = new int[count];
        for (var i = 0; i < count; i++) (ids[i], starts[i], ends[i]) = symbols[i];
        if (count < 2) return new BpeWord(ids, starts, ends);
        var next = new int[count];
        var previous = new int[count];
        var alive = new bool[count];
        for (var i = 0; i < count; i++)
        {
            next[i] = i + 1 < count ? i + 1 : -1;
            previous[i] = i - 1;
            alive[i] = true;
        }
        var queue = new PriorityQueue<(int Left, int Right, int LeftId, int RightId, int Merged), (int Rank, int Position)>();
        for (var i = 0; i + 1 < count; i++) Enqueue(i, i + 1);

        while (queue.TryDequeue(out var candidate, out _))
        {
            var (left, right, leftId, rightId, merged) = candidate;
            if (!alive[left] || !alive[right] || next[left] != right || ids[left] != leftId || ids[right] != rightId) continue;
            ids[left] = merged;
            ends[left] = ends[right];
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0) previous[next[right]] = left;
            if (previous[left] >= 0) Enqueue(previous[left], left);
            if (next[left] >= 0) Enqueue(left, next[left]);
        }

        var resultIds = new List<int>(count);
        var resultStarts = new List<int>(count);
        var resultEnds = new List<int>(count);
        for (var i = 0; i >= 0; i = next[i])
        {
            resultIds.Add(ids[i]);
            resultStarts.Add(starts[i]);
            resultEnds.Add(ends[i]);
        }
        return new BpeWord([.. resultIds], [.. resultStarts], [.. resultEnds]);

        void Enqueue(int left, int right)
        {
            if (_merges.TryGetValue((ids[left], ids[right]), out var merge))
                queue.Enqueue((left, right, ids[left], ids[right], merge.Merged), (merge.Rank, left));
        }
    }

    /// <summary>The merge table from tokenizer.json's "merges" ("a b" strings or ["a", "b"] pairs).</summary>
    public static Dictionary<(int Left, int Right), BpeMerge> ReadMerges(JsonSection merges, IReadOnlyDictionary<string, int> vocab)
    {
        var table = new Dictionary<(int, int), BpeMerge>();
        var rank = 0;
        foreach (var item in merges.Items())
        {
            string left, right;
            if (item.Kind == System.Text.Json.JsonValueKind.Array)
            {
                var parts = item.Items().Select(p => p.AsString()).ToArray();
                if (parts.Length != 2) throw item.Error($"a merge must have two parts, found {parts.Length}");
                (left, right) = (parts[0], parts[1]);
            }
            else
            {
                var text = item.AsString();
                var space = text.IndexOf(' ', 1);
                if (space < 0) throw item.Error($"merge \"{text}\" is not two tokens separated by a space");
                (left, right) = (text[..space], text[(space + 1)..]);
            }
            if (!vocab.TryGetValue(left, out var leftId)) throw item.Error($"merge part \"{left}\" is not in the vocabulary");
            if (!vocab.TryGetValue(right, out var rightId)) throw item.Error($"merge part \"{right}\" is not in the vocabulary");
            if (!vocab.TryGetValue(left + right, out var mergedId)) throw item.Error($"merged token \"{left + right}\" is not in the vocabulary");
            table.TryAdd((leftId, rightId), new BpeMerge(rank++, mergedId));
        }
        return table;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using AlignSharp.Text.TokenizerJson;

namespace AlignSharp.Text;

/// <summary>
/// A tokenizer for tiny models trained from scratch: ids 0..255 are the UTF-8 bytes, then special
/// tokens <c>&lt;|pad|&gt;</c>, <c>&lt;|bos|&gt;</c>, <c>&lt;|eos|&gt;</c> and ChatML's
/// <c>&lt;|im_start|&gt;</c>/<c>&lt;|im_end|&gt;</c> (so ChatML templates work unchanged).
/// Saves as a byte-level BPE tokenizer.json with no merges, which Hugging Face loads as the same tokenizer.
/// </summary>
public sealed class ByteTokenizer : ITokenizer, ITokenizerFiles
{
    public const int ByteCount = 256;
    public const string Pad = "<|pad|>";
    public const string Bos = "<|bos|>";
    public const string Eos = "<|eos|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    private static readonly string[] SpecialTokenStrings = [Pad, Bos, Eos, ImStart, ImEnd];

    private readonly AddedTokenSplitter _splitter;

    public ByteTokenizer()
    {
        AddedTokens = SpecialTokenStrings.Select((s, i) => new AddedToken(ByteCount + i, s, Special: true)).ToArray();
        _splitter = new AddedTokenSplitter(AddedTokens);
    }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public int VocabSize => ByteCount + SpecialTokenStrings.Length;
    public string? BosToken => Bos;
    public string? EosToken => Eos;
    public string? PadToken => Pad;
    public int? BosTokenId => ByteCount + 1;
    public int? EosTokenId => ByteCount + 2;
    public int? PadTokenId => ByteCount;

    /// <summary>With <paramref name="addSpecialTokens"/> a BOS goes in front (as the saved post-processor does).</summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => EncodeWithOffsets(text, addSpecialTokens).Ids;

    /// <summary>Each byte's token spans the character it belongs to; the BOS is zero-width at 0.</summary>
    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf16Validation.ThrowIfUnpairedSurrogate(text, nameof(text));
        var ids = new List<int>(text.Length + 1);
        var offsets = new List<TokenOffset>(text.Length + 1);
        if (addSpecialTokens)
        {
            ids.Add(BosTokenId!.Value);
            offsets.Add(new TokenOffset(0, 0));
        }
        var segments = new List<TextSegment>();
        _splitter.Split(text, segments);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var segment in segments)
        {
            if (segment.IsToken)
            {
                ids.Add(segment.TokenId);
                offsets.Add(new TokenOffset(segment.Start, segment.End));
                continue;
            }
            var i = segment.Start;
            foreach (var rune in segment.Text!.EnumerateRunes())
            {
                var count = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < count; b++)
                {
                    ids.Add(utf8[b]);
                    offsets.Add(new TokenOffset(i, i + rune.Utf16SequenceLength));
                }
                i += rune.Utf16SequenceLength;
            }
        }
        return new TokenEncoding(ids, offsets);
    }

    /// <summary>Invalid UTF-8 byte runs decode to U+FFFD, never throw; ids outside the vocabulary are skipped.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var pending = new List<byte>();
        foreach (var id in ids)
        {
            if (id is >= 0 and < ByteCount)
            {
                pending.Add((byte)id);
                continue;
            }
            if (id < ByteCount || id >= VocabSize) continue;
            Flush();
            if (!skipSpecialTokens) text.Append(SpecialTokenStrings[id - ByteCount]);
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (pending.Count == 0) return;
            text.Append(Encoding.UTF8.GetString(pending.ToArray()));
            pending.Clear();
        }
    }

    /// <summary>Bytes are named as in the saved tokenizer.json: their byte-level characters (e.g. "Ġ" for a space).</summary>
    public string? IdToToken(int id) => id switch
    {
        >= 0 and < ByteCount => ByteLevelAlphabet.ByteToChar((byte)id).ToString(),
        >= ByteCount when id < VocabSize => SpecialTokenStrings[id - ByteCount],
        _ => null,
    };

    public int? TokenToId(string token)
    {
        var special = Array.IndexOf(SpecialTokenStrings, token);
        if (special >= 0) return ByteCount + special;
        if (token.Length == 1 && ByteLevelAlphabet.TryCharToByte(token[0], out var b)) return b;
        return null;
    }

    /// <summary>
    /// The Hugging Face tokenizer.json that describes exactly this tokenizer: byte-level BPE whose vocabulary
    /// is the 256 byte characters (id = byte value) and no merges. Only fields every tokenizers release knows.
    /// </summary>
    public string ToTokenizerJson()
    {
        var vocab = new JsonObject();
        for (var b = 0; b < ByteCount; b++) vocab[ByteLevelAlphabet.ByteToChar((byte)b).ToString()] = b;
        var byteLevel = () => new JsonObject
        {
            ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false,
        };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(AddedTokens.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id, ["content"] = t.Content, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }).ToArray()),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel(),
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(SpecialPiece(Bos, 0), SequencePiece("A", 0)),
                ["pair"] = new JsonArray(SpecialPiece(Bos, 0), SequencePiece("A", 0), SpecialPiece(Bos, 1), SequencePiece("B", 1)),
                ["special_tokens"] = new JsonObject
                {
                    [Bos] = new JsonObject { ["id"] = Bos, ["ids"] = new JsonArray(BosTokenId!.Value), ["tokens"] = new JsonArray(Bos) },
                },
            },
            ["decoder"] = byteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false,
                ["vocab"] = vocab, ["merges"] = new JsonArray(),
            },
        };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        static JsonNode SpecialPiece(string id, int typeId) =>
            new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        static JsonNode SequencePiece(string id, int typeId) =>
            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
    }

    IReadOnlyDictionary<string, byte[]> ITokenizerFiles.ModelFiles() =>
        new Dictionary<string, byte[]> { ["tokenizer.json"] = Encoding.UTF8.GetBytes(ToTokenizerJson()) };
}

using System.Text;
using AlignSharp.Text.TokenizerJson;

namespace AlignSharp.Text;

/// <summary>
/// A tokenizer loaded from a Hugging Face <c>tokenizer.json</c>: byte-level BPE (GPT-2, Llama 3, Qwen2/3)
/// and SentencePiece-style BPE with byte fallback (Llama 2, Mistral, TinyLlama). Encoding follows the
/// Hugging Face pipeline: added tokens are cut out of the raw text, each remaining segment is normalized,
/// (normalized added tokens are cut out next), pre-tokenized into words and BPE-encoded word by word.
/// </summary>
public sealed class HuggingFaceTokenizer : ITokenizer, ITokenizerFiles
{
    private readonly byte[] _sourceJson;
    private readonly TokenizerJsonParts _parts;
    private readonly AddedTokenSplitter _rawSplitter;
    private readonly AddedTokenSplitter _normalizedSplitter;
    private readonly Dictionary<string, int> _addedTokenIds;
    private readonly HashSet<int> _specialIds;
    private readonly IPostProcessor _postProcessor;

    private HuggingFaceTokenizer(byte[] sourceJson, TokenizerJsonParts parts, SpecialTokenRoles roles, IPostProcessor? postProcessorOverride)
    {
        _sourceJson = sourceJson;
        _parts = parts;
        _rawSplitter = new AddedTokenSplitter(parts.AddedTokens.Where(t => !t.Normalized || parts.Normalizer is null));
        _normalizedSplitter = new AddedTokenSplitter(parts.AddedTokens.Where(t => t.Normalized && parts.Normalizer is not null));
        _addedTokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in parts.AddedTokens) _addedTokenIds[token.Content] = token.Id;
        _specialIds = parts.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        _postProcessor = postProcessorOverride ?? parts.PostProcessor;
        Roles = roles;
    }

    /// <summary>Reads <paramref name="path"/> (a tokenizer.json). <paramref name="roles"/> names BOS/EOS/PAD, which tokenizer.json itself does not.</summary>
    public static HuggingFaceTokenizer Load(string path, SpecialTokenRoles? roles = null)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {e.Message}", e);
        }
        return FromJson(json, path, roles);
    }

    /// <summary>Parses tokenizer.json bytes; <paramref name="sourceName"/> is the file name errors report.</summary>
    public static HuggingFaceTokenizer FromJson(byte[] json, string sourceName, SpecialTokenRoles? roles = null)
    {
        var parts = TokenizerJsonReader.Read(json, sourceName);
        var tokenizer = new HuggingFaceTokenizer(json, parts, roles ?? SpecialTokenRoles.None, null);
        tokenizer.CheckRoles(sourceName);
        return tokenizer;
    }

    /// <summary>
    /// The same tokenizer with BOS/EOS insertion rebuilt from add_bos_token/add_eos_token, as transformers'
    /// LlamaTokenizerFast does when tokenizer_config.json sets them.
    /// </summary>
    public HuggingFaceTokenizer WithBosEos(bool addBos, bool addEos)
    {
        var prefix = addBos && BosTokenId is { } bos ? new[] { bos } : [];
        var suffix = addEos && EosTokenId is { } eos ? new[] { eos } : [];
        return new HuggingFaceTokenizer(_sourceJson, _parts, Roles, new TemplatePostProcessor(prefix, suffix));
    }

    /// <summary>The same tokenizer with other BOS/EOS/PAD/UNK roles.</summary>
    public HuggingFaceTokenizer WithRoles(SpecialTokenRoles roles, string sourceName)
    {
        var tokenizer = new HuggingFaceTokenizer(_sourceJson, _parts, roles, _postProcessor);
        tokenizer.CheckRoles(sourceName);
        return tokenizer;
    }

    public SpecialTokenRoles Roles { get; }

    public IReadOnlyList<AddedToken> AddedTokens => _parts.AddedTokens;

    public int VocabSize => _parts.IdToToken.Length;
    public string? BosToken => Roles.Bos;
    public string? EosToken => Roles.Eos;
    public string? PadToken => Roles.Pad;
    public int? BosTokenId => Roles.Bos is { } t ? TokenToId(t) : null;
    public int? EosTokenId => Roles.Eos is { } t ? TokenToId(t) : null;
    public int? PadTokenId => Roles.Pad is { } t ? TokenToId(t) : null;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => Run(text, addSpecialTokens, trackOffsets: false).Ids;

    /// <summary>
    /// The same pass as Encode, with every stage carrying each unit's original range (<see cref="AlignedText"/>),
    /// so a "▁" the normalizer or Metaspace prepends is zero-width and " " → "▁" keeps its character.
    /// </summary>
    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens) => Run(text, addSpecialTokens, trackOffsets: true);

    // One pipeline for both; without offsets the alignment bookkeeping is skipped (it made byte-level Encode ~1.8x slower).
    private TokenEncoding Run(string text, bool addSpecialTokens, bool trackOffsets)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf16Validation.ThrowIfUnpairedSurrogate(text, nameof(text));
        var ids = new List<int>(text.Length / 3 + 4);
        var offsets = trackOffsets ? new List<TokenOffset>(text.Length / 3 + 4) : null;
        var segments = new List<TextSegment>();
        _rawSplitter.Split(text, segments);
        var normalizedSegments = new List<TextSegment>();
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            if (segment.IsToken)
            {
                ids.Add(segment.TokenId);
                offsets?.Add(new TokenOffset(segment.Start, segment.End));
                continue;
            }
            var original = AlignedText.Original(segment.Text!, segment.Start, trackOffsets);
            var normalized = _parts.Normalizer?.Normalize(original) ?? original;
            normalizedSegments.Clear();
            _normalizedSplitter.Split(normalized.Text, normalizedSegments);
            foreach (var piece in normalizedSegments)
            {
                if (piece.IsToken)
                {
                    ids.Add(piece.TokenId);
                    offsets?.Add(normalized.OriginalRange(piece.Start, piece.End));
                }
                else EncodePlain(normalized.Slice(piece.Start, piece.End - piece.Start), isFirstSegment: s == 0, ids, offsets);
            }
        }
        if (offsets is null) return new TokenEncoding(addSpecialTokens ? _postProcessor.Process(ids) : ids, []);
        if (!addSpecialTokens) return new TokenEncoding(ids, offsets);
        // Post-processor ids cover no text: zero-width at the start or the end.
        var processed = _postProcessor.Process(ids);
        var prefix = _postProcessor.PrefixLength;
        var suffix = processed.Count - prefix - offsets.Count;
        TokenOffset[] all = [.. Enumerable.Repeat(new TokenOffset(0, 0), prefix), .. offsets,
            .. Enumerable.Repeat(new TokenOffset(text.Length, text.Length), suffix)];
        return new TokenEncoding(processed, all);
    }

    private void EncodePlain(AlignedText text, bool isFirstSegment, List<int> ids, List<TokenOffset>? offsets)
    {
        var words = _parts.PreTokenizer?.PreTokenize([text], isFirstSegment) ?? [text];
        var ranges = offsets is null ? null : new List<(int Start, int End)>();
        foreach (var word in words)
        {
            ranges?.Clear();
            _parts.Model.Encode(word.Text, ids, ranges);
            if (ranges is null || offsets is null) continue;
            foreach (var (start, end) in ranges) offsets.Add(word.OriginalRange(start, end));
        }
    }

    /// <summary>Ids outside the vocabulary are skipped, as Hugging Face does (models often have padded embeddings).</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= _parts.IdToToken.Length || _parts.IdToToken[id] is not { } token) continue;
            if (skipSpecialTokens && _specialIds.Contains(id)) continue;
            tokens.Add(token);
        }
        var pieces = _parts.Decoder?.Decode(tokens) ?? tokens;
        return string.Concat(pieces);
    }

    public string? IdToToken(int id) => id >= 0 && id < _parts.IdToToken.Length ? _parts.IdToToken[id] : null;

    public int? TokenToId(string token) =>
        _addedTokenIds.TryGetValue(token, out var added) ? added
        : _parts.Model.Vocab.TryGetValue(token, out var id) ? id
        : null;

    /// <summary>The exact tokenizer.json this was loaded from.</summary>
    public string ToTokenizerJson() => Encoding.UTF8.GetString(_sourceJson);

    IReadOnlyDictionary<string, byte[]> ITokenizerFiles.ModelFiles() =>
        new Dictionary<string, byte[]> { ["tokenizer.json"] = _sourceJson };

    private void CheckRoles(string sourceName)
    {
        foreach (var (role, token) in new[] { ("bos", Roles.Bos), ("eos", Roles.Eos), ("pad", Roles.Pad), ("unk", Roles.Unk) })
            if (token is not null && TokenToId(token) is null)
                throw new TokenizerLoadException(sourceName, null, $"{role} token \"{token}\" is not in the vocabulary");
    }
}

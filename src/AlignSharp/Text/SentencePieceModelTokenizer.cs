using System.Text;
using Microsoft.ML.Tokenizers;

namespace AlignSharp.Text;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (Llama 1/2 style BPE protobuf), run by Microsoft.ML.Tokenizers'
/// SentencePiece tokenizer. Control tokens (&lt;s&gt;, &lt;/s&gt;, &lt;unk&gt;) and the config's added tokens written
/// in the text are recognised as single ids, as transformers' LlamaTokenizer does.
/// </summary>
public sealed class SentencePieceModelTokenizer : ITokenizer, ITokenizerFiles
{
    private readonly byte[] _model;
    private readonly SentencePieceTokenizer _tokenizer;
    private readonly string?[] _idToToken;
    private readonly bool _addBos;
    private readonly bool _addEos;
    // Tokens the library cuts out of the text as written (control and added tokens), by id.
    private readonly Dictionary<int, string> _literalTokens;
    private readonly int _unknownId;

    private SentencePieceModelTokenizer(byte[] model, SentencePieceTokenizer tokenizer, IReadOnlyList<AddedToken> addedTokens,
        SpecialTokenRoles roles, bool addBos, bool addEos, IReadOnlyDictionary<string, int> literalTokens)
    {
        _literalTokens = literalTokens.ToDictionary(t => t.Value, t => t.Key);
        _unknownId = tokenizer.UnknownId;
        _model = model;
        _tokenizer = tokenizer;
        _addBos = addBos;
        _addEos = addEos;
        AddedTokens = addedTokens;
        var size = Math.Max(tokenizer.Vocabulary.Values.DefaultIfEmpty(-1).Max(), addedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        _idToToken = new string?[size];
        foreach (var (token, id) in tokenizer.Vocabulary) _idToToken[id] = token;
        foreach (var token in addedTokens) _idToToken[token.Id] = token.Content;
        Roles = roles;
    }

    /// <summary>
    /// Reads <paramref name="path"/>. BOS/EOS are added by Encode(addSpecialTokens: true) per
    /// <paramref name="addBos"/>/<paramref name="addEos"/> (tokenizer_config.json's add_bos_token/add_eos_token;
    /// Llama's defaults are true/false). <paramref name="addedTokens"/> come from the config's added_tokens_decoder;
    /// <paramref name="roles"/> from the config, any role it leaves null taken from the model's control tokens.
    /// </summary>
    public static SentencePieceModelTokenizer Load(string path, bool addBos = true, bool addEos = false,
        IReadOnlyList<AddedToken>? addedTokens = null, SpecialTokenRoles? roles = null)
    {
        byte[] model;
        try
        {
            model = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {e.Message}", e);
        }
        SentencePieceTokenizer probe;
        try
        {
            probe = LlamaTokenizer.Create(new MemoryStream(model), addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TokenizerLoadException(path, null, $"not a SentencePiece model this library can run: {e.Message}", e);
        }
        // Control tokens and added tokens must be split out of the text, so a second instance knows them.
        var special = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [probe.BeginningOfSentenceToken] = probe.BeginningOfSentenceId,
            [probe.EndOfSentenceToken] = probe.EndOfSentenceId,
            [probe.UnknownToken] = probe.UnknownId,
        };
        var added = addedTokens ?? [];
        foreach (var token in added) special[token.Content] = token.Id;
        var tokenizer = LlamaTokenizer.Create(new MemoryStream(model), addBeginOfSentence: false, addEndOfSentence: false, specialTokens: special);
        // Roles the config leaves out default to the model's own control tokens.
        var effectiveRoles = new SpecialTokenRoles(roles?.Bos ?? probe.BeginningOfSentenceToken,
            roles?.Eos ?? probe.EndOfSentenceToken, roles?.Pad, roles?.Unk ?? probe.UnknownToken);
        var result = new SentencePieceModelTokenizer(model, tokenizer, added, effectiveRoles, addBos, addEos, special);
        foreach (var (role, token) in new[] { ("bos", effectiveRoles.Bos), ("eos", effectiveRoles.Eos), ("pad", effectiveRoles.Pad) })
            if (token is not null && result.TokenToId(token) is null)
                throw new TokenizerLoadException(path, null, $"{role} token \"{token}\" is not in the vocabulary");
        return result;
    }

    public SpecialTokenRoles Roles { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public int VocabSize => _idToToken.Length;
    public string? BosToken => Roles.Bos;
    public string? EosToken => Roles.Eos;
    public string? PadToken => Roles.Pad;
    public int? BosTokenId => Roles.Bos is { } t ? TokenToId(t) : null;
    public int? EosTokenId => Roles.Eos is { } t ? TokenToId(t) : null;
    public int? PadTokenId => Roles.Pad is { } t ? TokenToId(t) : null;

    // Plain encoding does not walk the pieces for offsets: that work, and its "cannot align" error, only when asked for.
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => EncodeWithOffsets(text, addSpecialTokens, alignOffsets: false).Ids;

    /// <summary>
    /// Microsoft.ML.Tokenizers' own offsets point into its normalized text, per segment between special tokens
    /// (and into no text at all for byte-fallback pieces), so the offsets are rebuilt here by walking each
    /// token's piece along the original: "▁" matches a space (or a literal "▁") and is otherwise the
    /// dummy prefix (zero-width); &lt;0xNN&gt; pieces together spell one character and share its range.
    /// </summary>
    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens) => EncodeWithOffsets(text, addSpecialTokens, alignOffsets: true);

    private TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens, bool alignOffsets)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf16Validation.ThrowIfUnpairedSurrogate(text, nameof(text));
        var ids = new List<int>(_tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false));
        var offsets = alignOffsets ? Align(text, ids) : null;
        if (!addSpecialTokens) return new TokenEncoding(ids, offsets ?? []);
        if (_addBos && BosTokenId is { } bos)
        {
            ids.Insert(0, bos);
            offsets?.Insert(0, new TokenOffset(0, 0));
        }
        if (_addEos && EosTokenId is { } eos)
        {
            ids.Add(eos);
            offsets?.Add(new TokenOffset(text.Length, text.Length));
        }
        return new TokenEncoding(ids, offsets ?? []);
    }

    private List<TokenOffset> Align(string text, List<int> ids)
    {
        var offsets = new List<TokenOffset>(ids.Count);
        var cursor = 0;
        var pendingBytes = new List<byte>(4);
        var pendingTokens = 0;
        // The library prepends one dummy "▁" to the first plain segment; it is known to be there when the
        // pieces hold more "▁" than the text has spaces, and is then the first piece's leading "▁" (which
        // could otherwise be mistaken for a leading space of the text).
        var dummyPrefix = ids.Where(id => !_literalTokens.ContainsKey(id)).Sum(id => (IdToToken(id) ?? "").Count(c => c == '▁'))
            > text.Count(c => c is ' ' or '▁');
        foreach (var id in ids)
        {
            if (_literalTokens.TryGetValue(id, out var literal) && pendingTokens == 0
                && string.CompareOrdinal(text, cursor, literal, 0, literal.Length) == 0 && cursor + literal.Length <= text.Length)
            {
                offsets.Add(new TokenOffset(cursor, cursor + literal.Length));
                cursor += literal.Length;
                continue;
            }
            var piece = IdToToken(id) ?? "";
            if (TokenizerJson.ByteFallbackDecoder.TryParseByteToken(piece, out var b))
            {
                pendingBytes.Add(b);
                pendingTokens++;
                offsets.Add(default); // filled in once the character is complete
                if (pendingBytes.Count < Utf8Length(pendingBytes[0])) continue;
                var character = Encoding.UTF8.GetString(pendingBytes.ToArray());
                if (string.CompareOrdinal(text, cursor, character, 0, character.Length) != 0) throw Misaligned(cursor);
                for (var k = offsets.Count - pendingTokens; k < offsets.Count; k++) offsets[k] = new TokenOffset(cursor, cursor + character.Length);
                cursor += character.Length;
                pendingBytes.Clear();
                pendingTokens = 0;
                continue;
            }
            if (pendingTokens > 0) throw Misaligned(cursor);
            if (id == _unknownId && piece == "<unk>")
            {
                // An unknown character the model could not spell: it covers one character.
                var length = cursor < text.Length && char.IsHighSurrogate(text[cursor]) ? 2 : 1;
                offsets.Add(new TokenOffset(cursor, Math.Min(cursor + length, text.Length)));
                cursor = Math.Min(cursor + length, text.Length);
                continue;
            }
            var start = -1;
            var skipDummy = dummyPrefix && piece.StartsWith('▁');
            dummyPrefix = false;
            foreach (var c in piece)
            {
                if (skipDummy)
                {
                    skipDummy = false;
                    continue;
                }
                var matches = cursor < text.Length && (text[cursor] == c || (c == '▁' && text[cursor] == ' '));
                if (!matches && c == '▁') continue; // the dummy prefix, which stands for no character
                if (!matches) throw Misaligned(cursor);
                if (start < 0) start = cursor;
                cursor++;
            }
            offsets.Add(start < 0 ? new TokenOffset(cursor, cursor) : new TokenOffset(start, cursor));
        }
        if (pendingTokens > 0 || cursor != text.Length) throw Misaligned(cursor);
        return offsets;
    }

    private static InvalidDataException Misaligned(int position) => new(
        $"the tokenizer.model's tokens do not spell the text at character {position}, so token offsets cannot be computed");

    private static int Utf8Length(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xF0 => 4,
        >= 0xE0 => 3,
        >= 0xC0 => 2,
        _ => 1,
    };

    /// <summary>Ids outside the vocabulary are skipped.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var known = ids.Where(id => id >= 0 && id < _idToToken.Length && _idToToken[id] is not null).ToList();
        return _tokenizer.Decode(known, considerSpecialTokens: !skipSpecialTokens) ?? "";
    }

    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    public int? TokenToId(string token) =>
        AddedTokens.FirstOrDefault(t => t.Content == token) is { } added ? added.Id
        : _tokenizer.Vocabulary.TryGetValue(token, out var id) ? id
        : null;

    IReadOnlyDictionary<string, byte[]> ITokenizerFiles.ModelFiles() =>
        new Dictionary<string, byte[]> { ["tokenizer.model"] = _model };
}

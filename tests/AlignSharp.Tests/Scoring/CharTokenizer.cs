using AlignSharp.Text;

namespace AlignSharp.Tests.Scoring;

/// <summary>A fake tokenizer for tests: id i is the i-th character of an alphabet; the last id may be EOS (decoded as nothing when special tokens are skipped).</summary>
internal sealed class CharTokenizer : ITokenizer
{
    const string Alphabet = "abcdefghijklmnopqrstuvwxyz";
    readonly int _vocab;

    public CharTokenizer(int vocab, int? eosTokenId = null)
    {
        _vocab = vocab;
        EosTokenId = eosTokenId;
    }

    public int VocabSize => _vocab;
    public string? BosToken => null;
    public string? EosToken => EosTokenId is null ? null : "</s>";
    public string? PadToken => null;
    public int? BosTokenId => null;
    public int? EosTokenId { get; }
    public int? PadTokenId => null;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => text.Select(c => Alphabet.IndexOf(c)).ToArray();

    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens) =>
        new(Encode(text, addSpecialTokens), text.Select((_, i) => new TokenOffset(i, i + 1)).ToArray());

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) =>
        string.Concat(ids.Where(id => !(skipSpecialTokens && id == EosTokenId)).Select(id => IdToToken(id)));

    public string? IdToToken(int id) => id == EosTokenId ? "</s>" : id >= 0 && id < _vocab ? Alphabet[id].ToString() : null;

    public int? TokenToId(string token) => token == "</s>" ? EosTokenId : token.Length == 1 && Alphabet.IndexOf(token[0]) is int i and >= 0 && i < _vocab ? i : null;
}

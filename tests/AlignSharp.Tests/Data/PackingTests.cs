using AlignSharp.Data;

namespace AlignSharp.Tests.Data;

public sealed class PackingTests
{
    /// <summary>A sequence of <paramref name="length"/> ids (values 100·tag + t, so each is traceable) with a 1-token prompt.</summary>
    static TokenizedSequence Document(int tag, int length, int prompt = 1) =>
        new(Enumerable.Range(0, length).Select(t => 100 * tag + t).ToArray(), Enumerable.Range(0, length).Select(t => t >= prompt).ToArray(), prompt);

    static readonly int[] Lengths = [5, 3, 7, 2, 6, 4];

    static TokenizedSequence[] Documents() => Lengths.Select((n, i) => Document(i + 1, n)).ToArray();

    [Fact]
    public void FirstFitDecreasingFillsRowsAndKeepsEveryDocumentOnce()
    {
        var documents = Documents();
        PackingResult result = SequencePacker.Pack(documents, maxLength: 10);

        // Worked by hand: 7→r0, 6→r1, 5→r2, 4→r1 (full), 3→r0 (full), 2→r2.
        Assert.Equal([[2, 1], [4, 5], [0, 3]], result.Rows.Select(r => r.Indices.ToArray()).ToArray());
        Assert.All(result.Rows, r => Assert.True(r.Length <= 10));
        Assert.Equal(Enumerable.Range(0, documents.Length), result.Rows.SelectMany(r => r.Indices).Order());
        Assert.All(result.Rows, r => Assert.Equal(r.Indices.Select(i => documents[i]), r.Documents));
        Assert.Equal(27, result.Tokens);
        Assert.Equal(27.0 / 30, result.Efficiency, 12);
        Assert.Contains("efficiency 90.0%", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PackingIsDeterministicAndTiesKeepInputOrder()
    {
        var documents = new[] { Document(1, 4), Document(2, 4), Document(3, 4), Document(4, 4) };
        var first = SequencePacker.Pack(documents, 8);
        var second = SequencePacker.Pack(documents, 8);
        Assert.Equal(first.Rows.Select(r => r.Indices.ToArray()), second.Rows.Select(r => r.Indices.ToArray()));
        Assert.Equal([[0, 1], [2, 3]], first.Rows.Select(r => r.Indices.ToArray()).ToArray());
    }

    [Fact]
    public void ADocumentLongerThanMaxLengthIsAnErrorNamingItsRow()
    {
        var documents = new[] { Document(1, 3), Document(2, 9) };
        var error = Assert.Throws<ArgumentException>(() => SequencePacker.Pack(documents, 8, [new RowSource("data.jsonl", 1), new RowSource("data.jsonl", 2)]));
        Assert.Contains("data.jsonl:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("9 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("document 1", Assert.Throws<ArgumentException>(() => SequencePacker.Pack(documents, 8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollatedRowsCarryDocumentIdsAndNoCrossDocumentTargets()
    {
        // Second document trains on its first token too (prompt 0): packed, that target is masked out.
        var row = new PackedRow([Document(1, 3), Document(2, 2, prompt: 0)], [0, 1]);
        var shortRow = new PackedRow([Document(3, 2)], [2]);
        using PackedBatch batch = PackedBatch.Collate([row, shortRow], paddingId: 0);
        Assert.Equal(new long[] { 100, 101, 102, 200, 201, 300, 301, 0, 0, 0 }, batch.Sequences.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 0, 0, -1, -1, -1 }, batch.DocumentIds.data<long>().ToArray());
        Assert.Equal(new[] { false, true, true, false, true, false, true, false, false, false }, batch.Sequences.LossMask.data<bool>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, batch.Sequences.AttentionMask.data<long>().ToArray());
        // Targets: the same as each document alone (whose first token nothing predicts).
        Assert.Equal(3, row.TargetCount);
        Assert.Equal(3, row.Documents.Sum(d => d.LossMask.Skip(1).Count(m => m)));
    }
}

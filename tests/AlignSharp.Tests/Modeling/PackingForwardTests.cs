using AlignSharp.Modeling;
using TorchSharp;
using static AlignSharp.Tests.Modeling.ModelTestData;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

/// <summary>Packed rows (document ids) against each document run alone.</summary>
public sealed class PackingForwardTests
{
    public static TheoryData<string> Sources => new() { "llama", "gpt2", "qwen2", "gpt_neox", "fixture:mistral_window" };

    static CausalLM Model(string source) =>
        source.StartsWith("fixture:", StringComparison.Ordinal)
            ? PretrainedModels.LoadCausalLM(ModelFixtures.Folder(source["fixture:".Length..]))
            : TinyModel(source);

    // Row 0 holds three documents, row 1 one document then padding (pad id 0, document −1).
    static readonly long[][][] Rows =
    [
        [[5, 17, 33, 2, 39], [9, 27, 4], [12, 8, 30, 21, 6, 11, 3]],
        [[7, 25, 14, 38, 19, 22]],
    ];

    [Theory, MemberData(nameof(Sources))]
    public void EachPackedDocumentScoresAsIfAlone(string source)
    {
        using var model = Model(source);
        using var scope = NewDisposeScope();
        int time = Rows.Max(r => r.Sum(d => d.Length));
        var ids = zeros(Rows.Length, time, ScalarType.Int64);
        var documents = full(Rows.Length, time, -1L, ScalarType.Int64);
        for (int r = 0; r < Rows.Length; r++)
        {
            int at = 0;
            for (int d = 0; d < Rows[r].Length; d++)
                foreach (long id in Rows[r][d])
                {
                    ids[r, at] = tensor(id);
                    documents[r, at++] = tensor((long)d);
                }
        }
        var packed = model.Logits(model.HiddenPacked(ids, documents)).to(ScalarType.Float32).log_softmax(-1);

        for (int r = 0; r < Rows.Length; r++)
        {
            int start = 0;
            foreach (long[] document in Rows[r])
            {
                // Independent value: the document alone, plain causal attention, positions 0..n-1.
                var alone = model.Logits(model.Hidden(tensor(document).unsqueeze(0))).to(ScalarType.Float32).log_softmax(-1)[0];
                var mine = packed[r].narrow(0, start, document.Length);
                // Full next-token distributions, so every token's log-prob (including each target) is covered.
                float[] expected = alone.reshape(-1).data<float>().ToArray(), actual = mine.reshape(-1).data<float>().ToArray();
                AssertClose(expected, actual, 1e-5 * Math.Max(1, expected.Max(Math.Abs)), $"{source} row {r} document at {start}");
                start += document.Length;
            }
        }
        Assert.False(packed.isnan().any().item<bool>(), "padding rows must not produce NaN");
    }

    [Fact]
    public void PositionsRestartAtEveryDocument()
    {
        using var scope = NewDisposeScope();
        var documents = tensor(new long[,] { { 0, 0, 0, 1, 1, 2, -1, -1 }, { 0, 0, 0, 0, 0, 0, 0, 0 } });
        var positions = PackedPositions.FromDocumentIds(documents);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 0, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7 }, positions.data<long>().ToArray());
    }

    [Fact]
    public void MaskIsBlockDiagonalCausal()
    {
        using var scope = NewDisposeScope();
        var documents = tensor(new long[,] { { 0, 0, 1, 1, -1 } });
        var mask = AttentionMask.Build(null, 1, 5, 0, null, ScalarType.Float32, CPU, documents)!;
        bool[,] allowed =
        {
            { true, false, false, false, false },
            { true, true, false, false, false },
            { false, false, true, false, false },
            { false, false, true, true, false },
            { false, false, false, false, true },
        };
        for (int q = 0; q < 5; q++)
            for (int k = 0; k < 5; k++)
                Assert.Equal(allowed[q, k] ? 0f : float.MinValue, mask[0, 0, q, k].item<float>());
        Assert.Throws<ArgumentException>(() => AttentionMask.Build(null, 1, 5, 2, null, ScalarType.Float32, CPU, documents));
    }

    [Fact]
    public void WithoutDocumentIdsTheMaskIsTheUnpackedOne()
    {
        using var scope = NewDisposeScope();
        // No padding: still null, so SDPA keeps its causal kernel (the path golden parity tests check against transformers).
        Assert.Null(AttentionMask.Build(null, 2, 4, 0, null, ScalarType.Float32, CPU));
        Assert.Null(AttentionMask.Build(null, 2, 4, 0, null, ScalarType.Float32, CPU, documentIds: null));
        // Padding: causal ∧ key is real, written out independently.
        var padding = tensor(new long[,] { { 1, 1, 1, 1 }, { 0, 1, 1, 1 } });
        var mask = AttentionMask.Build(padding, 2, 4, 0, null, ScalarType.Float32, CPU)!;
        for (int b = 0; b < 2; b++)
            for (int q = 0; q < 4; q++)
                for (int k = 0; k < 4; k++)
                {
                    bool allowed = k <= q && !(b == 1 && k == 0);
                    Assert.Equal(allowed ? 0f : float.MinValue, mask[b, 0, q, k].item<float>());
                }
    }

    [Theory, InlineData("llama"), InlineData("gpt2")]
    public void NoPackingPathIsBitIdentical(string arch)
    {
        using var model = TinyModel(arch);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[,] { { 5, 17, 33, 2, 39, 9 }, { 0, 0, 3, 19, 36, 21 } });
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1 }, { 0, 0, 1, 1, 1, 1 } });
        var positions = PositionIds.FromAttentionMask(mask);
        // The interface's call and the body with documentIds: null are the same computation, bit for bit.
        Assert.True(model.Hidden(ids, mask, positions).eq(model.Body.Forward(ids, mask, positions, null, documentIds: null)).all().item<bool>());
        Assert.True(model.Hidden(ids).eq(model.Body.Forward(ids, null, null, null)).all().item<bool>());
    }

    [Fact]
    public void ModelsWithoutPackingSaySo()
    {
        using var scope = NewDisposeScope();
        using var tiny = new AlignSharp.Tests.Scoring.TinyCausalLM();
        ICausalLM model = tiny;
        Assert.Throws<NotSupportedException>(() => model.HiddenPacked(zeros(1, 2, ScalarType.Int64), zeros(1, 2, ScalarType.Int64)));
    }
}

using AlignSharp.Modeling;
using TorchSharp;
using static AlignSharp.Tests.Modeling.ModelFixtures;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

/// <summary>
/// Per-token log-probs against make_goldens.py, which writes each architecture's forward pass in
/// plain torch with transformers' math (eager softmax attention, not SDPA). Batches include a
/// right-padded row; only positions whose next token is real are compared.
/// </summary>
public class GoldenParityTests
{
    public static TheoryData<string, string> CausalModels => new()
    {
        { "llama3_gqa", "LlamaForCausalLM" },
        { "llama_linear_tied", "LlamaForCausalLM" },
        { "mistral_window", "MistralForCausalLM" },
        { "qwen2_tied", "Qwen2ForCausalLM" },
        { "gpt2", "GPT2LMHeadModel" },
        { "gpt_neox", "GPTNeoXForCausalLM" },
        { "gpt_neox_sequential", "GPTNeoXForCausalLM" },
    };

    [Theory, MemberData(nameof(CausalModels))]
    public void NextTokenLogProbsMatchTransformersMath(string name, string architecture)
    {
        using var model = PretrainedModels.LoadCausalLM(Folder(name));
        Assert.Equal(architecture, model.Config.Architecture);
        var golden = Goldens(name);
        using var scope = NewDisposeScope();
        var ids = tensor(Matrix(golden["input_ids"]!));
        var mask = tensor(Matrix(golden["attention_mask"]!));
        var actual = ModelTestData.NextTokenLogProbs(model, ids, mask);

        var expected = golden["next_token_logprobs"]!.AsArray();
        int compared = 0;
        for (int r = 0; r < expected.Count; r++)
        {
            float[] row = ModelTestData.Row(actual, r);
            var expectedRow = expected[r]!.AsArray();
            for (int c = 0; c < expectedRow.Count; c++)
            {
                if (expectedRow[c] is null) continue;
                double want = expectedRow[c]!.GetValue<double>();
                Assert.True(Math.Abs(want - row[c]) <= 1e-4, $"{name} row {r} position {c}: expected {want}, got {row[c]}");
                compared++;
            }
        }
        Assert.Equal(6 + 3 + 6, compared);
    }

    [Fact]
    public void ScalarHeadScoresTheLastRealToken()
    {
        using var model = PretrainedModels.LoadSequenceScoreModel(Folder("llama_score"));
        var golden = Goldens("llama_score");
        using var scope = NewDisposeScope();
        var ids = tensor(Matrix(golden["input_ids"]!));
        var mask = tensor(Matrix(golden["attention_mask"]!));
        float[] scores = model.Scores(ids, mask).data<float>().ToArray();
        float[] expected = golden["scores"]!.AsArray().Select(n => (float)n!.GetValue<double>()).ToArray();
        ModelTestData.AssertClose(expected, scores, 1e-4, "llama_score scores");
    }

    [Fact]
    public void Llama3RopeScalingIsParsed()
    {
        using var model = PretrainedModels.LoadCausalLM(Folder("llama3_gqa"));
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 16), model.Config.RopeScaling);
        Assert.Equal(2, model.Config.KeyValueHeadCount);
        Assert.Equal([2, 3], model.Config.EosTokenIds);
    }

    [Fact]
    public void BFloat16CheckpointLoadsIntoFloat32OrBFloat16()
    {
        using var asStored = PretrainedModels.LoadCausalLM(Folder("gpt_neox"), ScalarType.BFloat16);
        Assert.All(asStored.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.All(asStored.parameters(), p => Assert.True(p.requires_grad));
        using var widened = PretrainedModels.LoadCausalLM(Folder("gpt_neox"));
        Assert.All(widened.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        // bf16 → fp32 is exact, so the two agree bit for bit after narrowing back.
        foreach (var ((name, a), (_, b)) in asStored.named_parameters().Zip(widened.named_parameters()))
            Assert.True(a.eq(b.to(ScalarType.BFloat16)).all().item<bool>(), name);
    }
}

using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Scoring;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Training;

/// <summary>Tiny dropout-free models, synthetic SFT data and the SFT objective wired into the loop.</summary>
static class TrainingTestData
{
    public const int Vocab = 24;

    /// <summary>A llama-family tiny preset (hidden 64, 2 layers) with HF init from <paramref name="seed"/>.</summary>
    public static CausalLM TinyModel(long seed, string arch = "llama")
    {
        var model = new CausalLM(ModelPresets.Create(arch, "tiny", Vocab, bosTokenId: 1, eosTokenId: 2, padTokenId: 0));
        model.InitializeWeights(seed);
        return model;
    }

    /// <summary>
    /// Prompts of 2–4 tokens whose completion (1–4 tokens, then EOS) continues the count: a pattern the
    /// model can learn, with different completion lengths so token-mean normalisation matters.
    /// </summary>
    public static ScoringRow[] Examples(int count)
    {
        var rows = new ScoringRow[count];
        for (int i = 0; i < count; i++)
        {
            int start = 3 + (i * 7) % 15;
            int promptLength = 2 + i % 3;
            int completionLength = 1 + (i * 5) % 4;
            var prompt = new List<int> { 1 };
            for (int t = 0; t < promptLength; t++) prompt.Add(3 + (start + t) % (Vocab - 3));
            var completion = new List<int>();
            for (int t = 0; t < completionLength; t++) completion.Add(3 + (start + promptLength + t) % (Vocab - 3));
            completion.Add(2);
            rows[i] = new ScoringRow(prompt, completion);
        }
        return rows;
    }

    /// <summary>SFT (TokenMean) normalised by the step's completion tokens, as the loop asks.</summary>
    public static TrainingObjective<ScoringRow> Sft(ICausalLM model, Func<MicroBatchContext, ObjectiveOutput, ObjectiveOutput>? tamper = null)
    {
        var scorer = new CompletionScorer(model);
        var sft = new SftLoss();
        return new TrainingObjective<ScoringRow>(
            Loss: (batch, context) =>
            {
                using var logProbs = scorer.LogProbs(batch);
                var output = sft.Compute(logProbs.TokenLogProbs, logProbs.CompletionMask, normaliser: context.StepLossTokens);
                return tamper is null ? output : tamper(context, output);
            },
            Tokens: row => row.PromptIds.Count + row.CompletionIds.Count,
            LossTokens: row => row.CompletionIds.Count);
    }

    public static TrainingOptions Options(string outputDir) => new()
    {
        OutputDir = outputDir,
        LearningRate = 1e-2,
        PerDeviceTrainBatchSize = 2,
        GradientAccumulationSteps = 1,
        MaxSteps = 4,
        LoggingSteps = 1,
        SaveSteps = 0,
        Seed = 5,
        LrSchedulerType = "constant",
    };

    /// <summary>Every parameter's values by name (CPU copies).</summary>
    public static Dictionary<string, float[]> Weights(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());
    }

    public static double MaxDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        double max = 0;
        foreach (var (name, values) in a)
            for (int i = 0; i < values.Length; i++)
                max = Math.Max(max, Math.Abs(values[i] - b[name][i]));
        return max;
    }
}

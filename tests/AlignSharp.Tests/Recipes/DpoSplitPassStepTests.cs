using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using TorchSharp;
using static AlignSharp.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

public sealed class DpoSplitPassStepTests
{
    const int ChunkPositions = 4; // several chunks per pass, so the chunked head's recompute is exercised
    const double PairNormaliser = 7; // not the batch's 4 pairs: as under gradient accumulation

    /// <summary>Four pairs with different prompt and completion lengths (padding, and IPO's per-token means differ per pair).</summary>
    static TokenizedPair[] Pairs()
    {
        TokenizedSequence Sequence(int[] prompt, int[] completion) =>
            new([.. prompt, .. completion], [.. prompt.Select(_ => false), .. completion.Select(_ => true)], prompt.Length);
        var pairs = new TokenizedPair[4];
        for (int i = 0; i < pairs.Length; i++)
        {
            int[] prompt = [1, .. Enumerable.Range(0, 2 + i % 3).Select(t => 3 + (5 * i + t) % 20)];
            int[] chosen = [.. Enumerable.Range(0, 1 + (3 * i) % 4).Select(t => 3 + (7 * i + 2 * t) % 20), 2];
            int[] rejected = [.. Enumerable.Range(0, 2 + (5 * i) % 3).Select(t => 3 + (11 * i + 3 * t) % 20), 2];
            pairs[i] = new TokenizedPair(default, Sequence(prompt, chosen), Sequence(prompt, rejected));
        }
        return pairs;
    }

    sealed record StepResult(Dictionary<string, float[]> Gradients, IReadOnlyDictionary<string, double> Metrics, double Loss);

    static StepResult Step(DpoOptions options, DpoPasses passes, bool trimHeap = false)
    {
        using var scope = NewDisposeScope();
        var pairs = Pairs();
        using CausalLM policy = TinyModel(seed: 31);
        using CausalLM reference = TinyModel(seed: 32); // another model, so h ≠ 0 and both sides' gradients matter
        var (referenceChosen, referenceRejected) = ReferenceLogProbCache.Compute(reference, pairs, paddingId: 0, batchSize: 4, ChunkPositions);
        policy.train();
        var dpo = new DpoLoss(options);
        using PreferenceBatch batch = BatchCollator.CollatePairs(pairs, paddingId: 0);
        Tensor rc = tensor(referenceChosen.Select(v => (float)v).ToArray()), rr = tensor(referenceRejected.Select(v => (float)v).ToArray());

        ObjectiveOutput output;
        if (passes == DpoPasses.Split)
            output = new DpoSplitPassStep(policy, dpo, ChunkPositions, trimHeap).Run(batch, rc, rr, PairNormaliser);
        else
        {
            output = new DpoConcatenatedPass(policy, dpo, ChunkPositions).Loss(batch, rc, rr, PairNormaliser);
            output.Loss.backward();
        }
        using (output)
        {
            Assert.False(output.Loss.requires_grad && passes == DpoPasses.Split, "the split step returns the detached value");
            var gradients = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.cpu().data<float>().ToArray());
            return new StepResult(gradients, output.Metrics, output.Loss.ToDouble());
        }
    }

    static void AssertSameStep(StepResult expected, StepResult actual)
    {
        Assert.Equal(expected.Gradients.Keys.Order(), actual.Gradients.Keys.Order());
        foreach (var (name, g) in expected.Gradients)
        {
            double norm = Math.Sqrt(g.Sum(v => (double)v * v));
            double difference = Math.Sqrt(g.Zip(actual.Gradients[name], (a, b) => ((double)a - b) * ((double)a - b)).Sum());
            Assert.True(norm > 0, $"{name}: no gradient (the test would not see a wrong one)");
            Assert.True(difference <= 1e-5 * norm, $"{name}: |split − concatenated| = {difference:E3}, |concatenated| = {norm:E3}");
        }
        Assert.Equal(expected.Metrics.Keys.Order(), actual.Metrics.Keys.Order());
        foreach (var (name, value) in expected.Metrics)
            Assert.True(Math.Abs(value - actual.Metrics[name]) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{name}: split {actual.Metrics[name]}, concatenated {value}");
        Assert.Equal(expected.Loss, actual.Loss, 5);
        Assert.Equal(expected.Loss, actual.Metrics[MetricNames.Loss], 6);
    }

    [Fact]
    public void SigmoidWithLabelSmoothingGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        var options = new DpoOptions { Beta = 0.5, LabelSmoothing = 0.2 };
        var concatenated = Step(options, DpoPasses.Concatenated);
        var split = Step(options, DpoPasses.Split, trimHeap: true);
        AssertSameStep(concatenated, split);
        Assert.NotEqual(0, concatenated.Metrics[MetricNames.RewardsMargins], 3); // the reference differs: both sides are pulled
    }

    [Fact]
    public void IpoWithPerTokenMeansGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        var options = new DpoOptions { Beta = 0.1, LossType = DpoLossType.Ipo, IpoLogProbScale = IpoLogProbScale.TokenMean };
        Assert.True(new DpoLoss(options).NeedsTokenCounts);
        AssertSameStep(Step(options, DpoPasses.Concatenated), Step(options, DpoPasses.Split));
    }
}

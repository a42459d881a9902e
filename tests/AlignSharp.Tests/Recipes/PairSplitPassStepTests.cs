using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using TorchSharp;
using static AlignSharp.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

/// <summary>
/// <see cref="PairSplitPassStep"/> against <see cref="PairConcatenatedPass"/> for each pair loss: the same parameter
/// gradients (fp32, 1e-5 relative), loss and metrics, with normalisers that are not the micro-batch's (gradient accumulation).
/// </summary>
public sealed class PairSplitPassStepTests
{
    const int ChunkPositions = 4; // several chunks per pass, so the chunked head's recompute is exercised
    const double PairNormaliser = 7; // not the batch's 4 pairs: as under gradient accumulation
    const double ChosenTokenNormaliser = 23; // ORPO's NLL: not the batch's chosen tokens either

    /// <summary>Four pairs with different prompt and completion lengths (padding, and per-token means differ per pair).</summary>
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

    /// <summary>The constants a loss may use: [pairs] reference log-probs of another model (so both sides' gradients matter).</summary>
    sealed record References(Tensor Chosen, Tensor Rejected);

    sealed record StepResult(Dictionary<string, float[]> Gradients, IReadOnlyDictionary<string, double> Metrics, double Loss);

    static StepResult Step(Func<References, PairLoss> loss, PairPasses passes, bool trimHeap = false)
    {
        using var scope = NewDisposeScope();
        var pairs = Pairs();
        using CausalLM policy = TinyModel(seed: 31);
        using CausalLM reference = TinyModel(seed: 32);
        var (referenceChosen, referenceRejected) = ReferenceLogProbCache.Compute(reference, pairs, paddingId: 0, batchSize: 4, ChunkPositions);
        policy.train();
        using PreferenceBatch batch = BatchCollator.CollatePairs(pairs, paddingId: 0);
        PairLoss pairLoss = loss(new References(
            tensor(referenceChosen.Select(v => (float)v).ToArray()), tensor(referenceRejected.Select(v => (float)v).ToArray())));

        ObjectiveOutput output;
        if (passes == PairPasses.Split)
            output = new PairSplitPassStep(policy, ChunkPositions, trimHeap).Run(batch, pairLoss);
        else
        {
            output = new PairConcatenatedPass(policy, ChunkPositions).Loss(batch, pairLoss);
            output.Loss.backward();
        }
        using (output)
        {
            Assert.False(output.Loss.requires_grad && passes == PairPasses.Split, "the split step returns the detached value");
            var gradients = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.cpu().data<float>().ToArray());
            return new StepResult(gradients, output.Metrics, output.Loss.ToDouble());
        }
    }

    static void AssertSameStep(Func<References, PairLoss> loss, bool trimHeap = false)
    {
        StepResult expected = Step(loss, PairPasses.Concatenated), actual = Step(loss, PairPasses.Split, trimHeap);
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
        Assert.NotEqual(0, expected.Metrics[MetricNames.RewardsMargins], 3); // the sides differ: both are pulled
    }

    [Fact]
    public void DpoSigmoidWithLabelSmoothingGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        var dpo = new DpoLoss(new DpoOptions { Beta = 0.5, LabelSmoothing = 0.2 });
        AssertSameStep(r => PairLosses.Dpo(dpo, r.Chosen, r.Rejected, PairNormaliser), trimHeap: true);
    }

    [Fact]
    public void DpoIpoWithPerTokenMeansGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        var dpo = new DpoLoss(new DpoOptions { Beta = 0.1, LossType = DpoLossType.Ipo, IpoLogProbScale = IpoLogProbScale.TokenMean });
        Assert.True(dpo.NeedsTokenCounts);
        AssertSameStep(r => PairLosses.Dpo(dpo, r.Chosen, r.Rejected, PairNormaliser));
    }

    // Two margin scorers with values that differ per pair and side, so the margins move every pair's logits.
    static PairLoss Modpo(ModpoLoss modpo, References r) => PairLosses.Modpo(modpo, r.Chosen, r.Rejected,
        tensor(new float[] { -3, 0.5f, -1, 2, -4, -0.25f, -2, 1 }).reshape(4, 2),
        tensor(new float[] { -5, -0.5f, -2, 1.5f, -1, 0.75f, -6, 0 }).reshape(4, 2),
        PairNormaliser);

    [Fact]
    public void ModpoSigmoidWithMarginsGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        var modpo = new ModpoLoss(new ModpoOptions { Beta = 0.5, Weights = [0.6, 0.3, 0.1] });
        AssertSameStep(r => Modpo(modpo, r), trimHeap: true);
    }

    [Fact]
    public void ModpoHingeWithMarginsGivesTheConcatenatedStepsGradientLossAndMetrics()
    {
        // β and margins small, so the logits stay under 1 and pairs are on the hinge's sloped side.
        var modpo = new ModpoLoss(new ModpoOptions { Beta = 0.05, LossType = ModpoLossType.Hinge, Weights = [0.8, 0.01, 0.02] });
        AssertSameStep(r => Modpo(modpo, r));
    }

    [Fact]
    public void OrpoGivesTheConcatenatedStepsGradientLossAndMetricsWithTheNllDifferentiatedOnce()
    {
        var orpo = new OrpoLoss(new OrpoOptions { Beta = 0.5 });
        AssertSameStep(_ => PairLosses.Orpo(orpo, PairNormaliser, ChosenTokenNormaliser), trimHeap: true);
    }

    [Fact]
    public void OrpoWithBetaZeroIsTheChosenNllAndStillTheSameStep()
    {
        // β = 0 leaves only the chosen NLL: a gradient counted twice (or not at all) would show on every parameter.
        var orpo = new OrpoLoss(new OrpoOptions { Beta = 0 });
        var split = Step(_ => PairLosses.Orpo(orpo, PairNormaliser, ChosenTokenNormaliser), PairPasses.Split);
        var concatenated = Step(_ => PairLosses.Orpo(orpo, PairNormaliser, ChosenTokenNormaliser), PairPasses.Concatenated);
        foreach (var (name, g) in concatenated.Gradients)
        {
            double norm = Math.Sqrt(g.Sum(v => (double)v * v));
            double difference = Math.Sqrt(g.Zip(split.Gradients[name], (a, b) => ((double)a - b) * ((double)a - b)).Sum());
            Assert.True(difference <= 1e-5 * norm, $"{name}: |split − concatenated| = {difference:E3}, |concatenated| = {norm:E3}");
        }
        Assert.Equal(concatenated.Metrics[OrpoLoss.NllLossMetric], split.Loss, 5);
    }
}

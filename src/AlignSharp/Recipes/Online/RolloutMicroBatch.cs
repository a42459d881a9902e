using AlignSharp.Data;
using AlignSharp.Objectives;
using AlignSharp.Rollouts;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Recipes.Online;

/// <summary>
/// One micro-batch of rollout examples as the online objectives need it: the policy's token log-probs at the sampling
/// temperature (with the graph), the stored old and reference log-probs aligned with them, the advantages; and what
/// every online step logs besides its loss (<c>entropy</c>; at the first update since sampling, how far the trainer's
/// log-probs are from the sampler's, <c>sampling/sampling_logp_difference/mean|max</c>, which must be ~0: one process,
/// one set of weights). Runs inside the loop's dispose scope.
/// </summary>
public sealed class RolloutMicroBatch
{
    RolloutMicroBatch(IReadOnlyList<RolloutExample> examples, Tensor logProbs, Tensor mask, Tensor? old, Tensor? reference, Tensor advantages,
        Dictionary<string, double> metrics)
    {
        Examples = examples;
        LogProbs = logProbs;
        Mask = mask;
        OldLogProbs = old;
        ReferenceLogProbs = reference;
        Advantages = advantages;
        Metrics = metrics;
    }

    public IReadOnlyList<RolloutExample> Examples { get; }
    public Tensor LogProbs { get; }
    public Tensor Mask { get; }
    public Tensor? OldLogProbs { get; }
    public Tensor? ReferenceLogProbs { get; }
    public Tensor Advantages { get; }
    public Dictionary<string, double> Metrics { get; }

    public static RolloutMicroBatch Forward(OnlineObjectiveContext context, IReadOnlyList<RolloutExample> examples)
    {
        var sequences = examples.Select(e => e.Sequence).ToArray();
        SequenceBatch rows = BatchCollator.Collate(sequences, context.PaddingId);
        var (logProbs, mask, trainedHidden) = CompletionTokenLogProbs.Compute(context.Policy, rows, context.Temperature, context.ChunkPositions);
        Device device = logProbs.device;
        long time = rows.TimeSteps;
        bool firstUpdate = examples.All(e => e.OldLogProbs is null);
        if (!firstUpdate && examples.Any(e => e.OldLogProbs is null))
            throw new InvalidOperationException("a micro-batch mixes first updates with later ones; the rollout source never does");
        Tensor? old = firstUpdate ? null : CompletionTokenLogProbs.Aligned(sequences, examples.Select(e => e.OldLogProbs!).ToArray(), time, device);
        Tensor? reference = examples.All(e => e.RefLogProbs is not null)
            ? CompletionTokenLogProbs.Aligned(sequences, examples.Select(e => e.RefLogProbs!).ToArray(), time, device)
            : null;
        Tensor advantages = tensor(examples.Select(e => e.Advantage).ToArray(), dtype: ScalarType.Float32, device: device);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["entropy"] = TokenEntropy.Mean(new TemperatureScaledHead(context.Policy, context.Temperature), trainedHidden, 1.0, context.ChunkPositions),
        };
        if (firstUpdate)
        {
            using var noGrad = no_grad();
            Tensor sampled = CompletionTokenLogProbs.Aligned(sequences, examples.Select(e => e.SamplingLogProbs).ToArray(), time, device);
            Tensor difference = (logProbs.detach() - sampled).abs().masked_fill(mask.logical_not(), 0);
            double tokens = Math.Max(mask.sum().ToDouble(), 1);
            metrics["sampling/sampling_logp_difference/mean"] = difference.sum().ToDouble() / tokens;
            metrics["sampling/sampling_logp_difference/max"] = difference.max().ToDouble();
        }
        rows.Dispose();
        return new RolloutMicroBatch(examples, logProbs, mask, old, reference, advantages, metrics);
    }

    /// <summary>The objective's output with this micro-batch's metrics added; a non-finite loss stops the run naming the completions that made it.</summary>
    public ObjectiveOutput Finish(ObjectiveOutput output, MicroBatchContext step, OnlineObjectiveContext context)
    {
        double loss = output.Loss.ToDouble();
        if (!double.IsFinite(loss))
        {
            output.Dispose();
            using var noGrad = no_grad();
            float[] rowSums = (LogProbs.detach() * Mask).sum(1).cpu().data<float>().ToArray();
            var bad = Examples.Select((e, i) => (e, i))
                .Where(x => !float.IsFinite(rowSums[x.i]) || !double.IsFinite(x.e.Advantage)
                    || (x.e.RefLogProbs?.Any(v => !float.IsFinite(v)) ?? false) || (x.e.OldLogProbs?.Any(v => !float.IsFinite(v)) ?? false))
                .Select(x => $"completion {x.i} (prompt {x.e.PromptIndex}, group {x.e.Group})").ToArray();
            string rows = bad.Length == 0 ? "no single completion's log-probs are non-finite; the ratio or KL overflowed" : string.Join(", ", bad.Take(8));
            throw new TrainingDivergedException(step.Step, $"the loss of micro-batch {step.MicroBatch + 1}/{step.MicroBatches} ({rows})", loss, context.LastCheckpoint());
        }
        var metrics = new Dictionary<string, double>(output.Metrics, StringComparer.Ordinal);
        foreach (var (name, value) in Metrics) metrics[name] = value;
        return new ObjectiveOutput(output.Loss, metrics);
    }
}

using AlignSharp.Objectives;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Recipes;

/// <summary>
/// Evaluation on held-out data for every recipe: the training objective itself, run over the whole eval set in
/// micro-batches (the loop calls it under no_grad), normalised by the whole set as a training step is, so
/// <c>eval_loss</c> is on the same scale as <c>loss</c>; the other metrics are example-weighted means.
/// </summary>
public static class RecipeEvaluation
{
    public static Func<int, IReadOnlyDictionary<string, double>> Create<TExample>(
        TrainingObjective<TExample> objective, IReadOnlyList<TExample> examples, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("the evaluation set is empty", nameof(examples));
        Func<TExample, long> lossTokensOf = objective.LossTokens ?? objective.Tokens;
        long tokens = examples.Sum(objective.Tokens), lossTokens = examples.Sum(lossTokensOf);
        var batches = examples.Chunk(batchSize).ToArray();
        return step =>
        {
            double loss = 0;
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int m = 0; m < batches.Length; m++)
            {
                using var scope = torch.NewDisposeScope();
                var context = new MicroBatchContext(step, m, batches.Length, examples.Count, tokens, lossTokens);
                using ObjectiveOutput output = objective.Loss(batches[m], context);
                loss += output.Loss.ToDouble();
                foreach (var (name, value) in output.Metrics)
                    if (name != MetricNames.Loss) sums[name] = sums.GetValueOrDefault(name) + value * batches[m].Length;
            }
            var metrics = sums.ToDictionary(kv => kv.Key, kv => kv.Value / examples.Count, StringComparer.Ordinal);
            metrics[MetricNames.Loss] = loss;
            return metrics;
        };
    }

    /// <summary>The loop's callbacks with an evaluation added when there is an eval set.</summary>
    internal static TrainingCallbacks? With<TExample>(TrainingCallbacks? callbacks, TrainingObjective<TExample> objective, IReadOnlyList<TExample>? evalExamples, int batchSize) =>
        evalExamples is null ? callbacks : (callbacks ?? new TrainingCallbacks()) with { Evaluate = Create(objective, evalExamples, batchSize) };
}

using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Fits <see cref="ValueHead"/> by MSE to the rewards of the reference's own samples (one per prompt, as the
/// code's greedy decodes) and keeps the epoch with the lowest training MSE, as the code does.
/// </summary>
public static class ALoLValueFit
{
    /// <summary>Returns the fitted head (caller disposes) and the MSE of each epoch over all prompts.</summary>
    public static (ValueHead Head, IReadOnlyList<double> EpochMse) Fit(ALoLPromptFeatures features, IReadOnlyList<double> rewards, ALoLValueFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(options);
        if (rewards.Count != features.Count)
            throw new ArgumentException($"A-LoL value head: {rewards.Count} rewards for {features.Count} prompts", nameof(rewards));
        if (rewards.Any(r => !double.IsFinite(r)))
            throw new ArgumentException("A-LoL value head: every reward must be finite", nameof(rewards));
        if (options.Epochs < 1 || options.BatchSize < 1) throw new ArgumentException("A-LoL value head: epochs and batch size must be at least 1");

        var head = new ValueHead(features.Hidden.shape[2], options.Heads, options.MinValue, options.MaxValue, options.Seed);
        try
        {
            using var targets = tensor(rewards.Select(r => (float)r).ToArray());
            using var optimizer = optim.AdamW(head.parameters(), options.LearningRate);
            var random = new Random(options.Seed);
            int n = rewards.Count;
            var epochMse = new List<double>();
            double best = double.PositiveInfinity;
            Dictionary<string, Tensor>? bestState = null;
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                int[] order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
                for (int start = 0; start < n; start += options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = tensor(order.Skip(start).Take(options.BatchSize).Select(i => (long)i).ToArray());
                    var predicted = head.Forward(features.Hidden.index_select(0, index), features.Mask.index_select(0, index));
                    var loss = nn.functional.mse_loss(predicted, targets.index_select(0, index));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                double mse = MeanSquaredError(head, features, targets);
                epochMse.Add(mse);
                if (mse < best)
                {
                    best = mse;
                    if (bestState is not null) foreach (var t in bestState.Values) t.Dispose();
                    bestState = head.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                }
            }
            using (no_grad())
                foreach (var (name, value) in head.state_dict()) value.copy_(bestState![name]);
            foreach (var t in bestState!.Values) t.Dispose();
            return (head, epochMse);
        }
        catch
        {
            head.Dispose();
            throw;
        }
    }

    /// <summary>V(x) for every prompt of <paramref name="features"/>.</summary>
    public static double[] Predict(ValueHead head, ALoLPromptFeatures features)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(features);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return head.Forward(features.Hidden, features.Mask).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    private static double MeanSquaredError(ValueHead head, ALoLPromptFeatures features, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.mse_loss(head.Forward(features.Hidden, features.Mask), targets).ToDouble();
    }
}

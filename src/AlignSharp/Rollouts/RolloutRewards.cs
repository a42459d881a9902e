using System.Globalization;
using AlignSharp.Rewards;

namespace AlignSharp.Rollouts;

/// <summary>
/// The rewards of an online run: one or more reward functions, each with a weight (TRL's <c>reward_weights</c>), summed
/// into the reward the advantages are computed from. Every function is checked on every call: one finite score per
/// completion, or the run stops with an error naming the function and the completion's prompt row; each is logged on
/// its own as <c>rewards/&lt;name&gt;/mean</c> and <c>/std</c>.
/// </summary>
public sealed class RolloutRewards
{
    public RolloutRewards(IReadOnlyList<IRewardFunction> functions, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        if (functions.Count == 0) throw new ArgumentException("an online run needs at least one reward function", nameof(functions));
        weights ??= Enumerable.Repeat(1.0, functions.Count).ToArray();
        if (weights.Count != functions.Count)
            throw new ArgumentException($"reward_weights has {weights.Count} weight(s) for {functions.Count} reward function(s) ({string.Join(", ", functions.Select(f => f.Name))})");
        if (weights.Any(w => !double.IsFinite(w))) throw new ArgumentException("reward_weights must be finite numbers");
        var names = functions.Select(f => f.Name).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"reward functions need distinct names to be logged apart: {string.Join(", ", names)}");
        Functions = functions;
        Weights = weights;
    }

    public IReadOnlyList<IRewardFunction> Functions { get; }

    public IReadOnlyList<double> Weights { get; }

    /// <summary>The weighted totals, and per function its metrics.</summary>
    public (double[] Total, Dictionary<string, double> Metrics) Score(IReadOnlyList<RewardInput> inputs)
    {
        var total = new double[inputs.Count];
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int k = 0; k < Functions.Count; k++)
        {
            IRewardFunction function = Functions[k];
            IReadOnlyList<double> scores;
            try
            {
                scores = function.Score(inputs) ?? throw new InvalidOperationException($"reward \"{function.Name}\" returned no scores");
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException or KeyNotFoundException)
            {
                throw new InvalidOperationException($"reward \"{function.Name}\" failed: {e.Message}", e);
            }
            if (scores.Count != inputs.Count)
                throw new InvalidOperationException(
                    $"reward \"{function.Name}\" returned {scores.Count} scores for {inputs.Count} completions; it must return exactly one per completion, in order");
            for (int i = 0; i < scores.Count; i++)
            {
                if (!double.IsFinite(scores[i]))
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"reward \"{function.Name}\" returned {scores[i]} for completion {i} (prompt {inputs[i].Source ?? "given in code"}: {Preview(inputs[i].Prompt)}, completion: {Preview(inputs[i].Completion)})"));
                total[i] += Weights[k] * scores[i];
            }
            metrics[$"rewards/{function.Name}/mean"] = scores.Average();
            metrics[$"rewards/{function.Name}/std"] = Statistics.SampleStd(scores);
        }
        return (total, metrics);
    }

    static string Preview(string text) => text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..57]}...\"";
}

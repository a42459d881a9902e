using System.Globalization;

namespace AlignSharp.Rewards;

/// <summary>
/// The reward Σ_k w_k · r_k(prompt, completion) of several rewards. Weights may be negative (a penalty) or zero
/// (an objective that is only reported), but must be finite and not all zero; component names must be distinct
/// so per-objective scores can be told apart.
/// </summary>
public sealed class WeightedReward : IRewardFunction
{
    public WeightedReward(IEnumerable<WeightedRewardComponent> components, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        WeightedRewardComponent[] list = components.ToArray();
        if (list.Length == 0) throw new ArgumentException("a weighted reward needs at least one component", nameof(components));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (WeightedRewardComponent component in list)
        {
            if (component?.Reward is null) throw new ArgumentException("a weighted reward component has no reward", nameof(components));
            string componentName = component.Reward.Name;
            if (!double.IsFinite(component.Weight))
                throw new ArgumentException($"weight of reward \"{componentName}\" is {component.Weight}; weights must be finite numbers", nameof(components));
            if (!names.Add(componentName))
                throw new ArgumentException($"reward \"{componentName}\" appears twice; component names must be distinct (give one of them another name)", nameof(components));
        }
        if (list.All(c => c.Weight == 0))
            throw new ArgumentException($"all weights are zero ({string.Join(", ", list.Select(c => c.Reward.Name))}); at least one must be non-zero", nameof(components));
        if (name is not null && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("the name must not be blank", nameof(name));

        Components = list;
        Name = name ?? DefaultName(list);
    }

    /// <summary>Convenience form: <c>WeightedReward.Of((correctness, 1.0), (length, 0.01))</c>.</summary>
    public static WeightedReward Of(params (IRewardFunction Reward, double Weight)[] components) =>
        new(components.Select(c => new WeightedRewardComponent(c.Reward, c.Weight)));

    public string Name { get; }

    public IReadOnlyList<WeightedRewardComponent> Components { get; }

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch) => ScoreWithComponents(batch).Total;

    /// <summary>The weighted total and each component's unweighted scores (every component is checked: count and finiteness).</summary>
    public WeightedRewardScores ScoreWithComponents(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var total = new double[batch.Count];
        var components = new ComponentScores[Components.Count];
        for (int k = 0; k < Components.Count; k++)
        {
            WeightedRewardComponent component = Components[k];
            IReadOnlyList<double> scores = component.Reward.ScoreChecked(batch);
            for (int i = 0; i < total.Length; i++) total[i] += component.Weight * scores[i];
            components[k] = new ComponentScores(component.Reward.Name, component.Weight, scores);
        }
        return new WeightedRewardScores(total, components);
    }

    static string DefaultName(IEnumerable<WeightedRewardComponent> components) =>
        "weighted(" + string.Join(", ", components.Select(c => $"{c.Weight.ToString("R", CultureInfo.InvariantCulture)}*{c.Reward.Name}")) + ")";
}

namespace AlignSharp.Rewards;

/// <summary>
/// What a <see cref="WeightedReward"/> computed for a batch: the weighted total per input and every component's
/// own (unweighted) scores, because MODPO and reports need the objectives one by one.
/// </summary>
public sealed record WeightedRewardScores(IReadOnlyList<double> Total, IReadOnlyList<ComponentScores> Components);

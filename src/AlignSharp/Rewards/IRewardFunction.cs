namespace AlignSharp.Rewards;

/// <summary>
/// A scalar reward of (prompt, completion). Programmatic rewards (built-in tasks, <see cref="LengthReward"/>),
/// reward models (a trained reward-model folder; they implement this interface in the modeling layer) and
/// weighted sums of several (<see cref="WeightedReward"/>) all look the same to the methods that use them.
/// </summary>
/// <remarks>
/// Scoring is batched because a reward model scores a padded batch in one forward pass; a programmatic
/// reward simply loops. Implementations return exactly one finite score per input, in input order.
/// </remarks>
public interface IRewardFunction
{
    /// <summary>A short identifier used in logs and metric names (e.g. <c>rewards/arithmetic_correct</c>).</summary>
    string Name { get; }

    /// <summary>One score per element of <paramref name="batch"/>, in the same order.</summary>
    IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch);
}

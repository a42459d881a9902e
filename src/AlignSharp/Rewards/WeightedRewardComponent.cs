namespace AlignSharp.Rewards;

/// <summary>One term w · r of a <see cref="WeightedReward"/>.</summary>
public sealed record WeightedRewardComponent(IRewardFunction Reward, double Weight);

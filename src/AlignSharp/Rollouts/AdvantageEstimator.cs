namespace AlignSharp.Rollouts;

/// <summary>
/// What a method makes of one generation's scores: an advantage per completion (GRPO's group-normalised rewards,
/// RLOO's leave-one-out ones after the KL penalty) and metrics it wants logged. Completions come in groups of
/// <see cref="RolloutScores.GroupSize"/> consecutive entries, one group per prompt.
/// </summary>
public delegate RolloutAdvantages AdvantageEstimator(RolloutScores scores);

/// <summary>
/// The inputs of an <see cref="AdvantageEstimator"/>: total rewards, the group size, and per completion token the
/// sampler's and (with a reference) the reference's log-probs, both at the sampling temperature.
/// </summary>
public sealed record RolloutScores(double[] Rewards, int GroupSize, float[][] SamplingLogProbs, float[][]? ReferenceLogProbs);

/// <summary>An advantage per completion, and metrics of how they were made.</summary>
public sealed record RolloutAdvantages(double[] Advantages, IReadOnlyDictionary<string, double> Metrics);

namespace AlignSharp.Rollouts;

/// <summary>One generation's prepared examples, kept while its updates run, and its metrics.</summary>
public sealed record RolloutBuffer(int Generation, IReadOnlyList<RolloutExample> Examples, IReadOnlyDictionary<string, double> Metrics);

namespace AlignSharp.Rewards;

/// <summary>
/// A frozen reward r_j(x, y) of one of MODPO's other objectives. It depends only on (prompt, response), so the
/// recipe calls it once per response before training and caches the result with the reference log-probs.
/// </summary>
public interface IMarginScorer : IDisposable
{
    /// <summary>Identifies the scorer in logs, metrics and the cache fingerprint (so another scorer recomputes).</summary>
    string Name { get; }

    /// <summary>One finite score per input, in input order.</summary>
    IReadOnlyList<double> Score(IReadOnlyList<MarginInput> batch);
}

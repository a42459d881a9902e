namespace AlignSharp.Recipes;

/// <summary>The phase of a pair step that has just ended (for callers that time forward and backward separately, like the bench).</summary>
public enum PairPassPhase
{
    /// <summary>A forward pass and its loss (for the first back-propagated pass, also the no-grad pass and trim before it).</summary>
    Forward,

    /// <summary>A backward pass.</summary>
    Backward,
}

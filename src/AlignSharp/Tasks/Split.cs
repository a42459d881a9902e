namespace AlignSharp.Tasks;

/// <summary>Which prompts a task draws from: training prompts or held-out prompts for evaluation (never shared).</summary>
public enum Split
{
    Train,
    HeldOut,
}

namespace AlignSharp.Tasks.FrozenLake;

/// <summary>A cell of the lake, with Gymnasium's letters: S start, F frozen, H hole, G goal.</summary>
public enum FrozenLakeTile
{
    Start,
    Frozen,
    Hole,
    Goal,
}

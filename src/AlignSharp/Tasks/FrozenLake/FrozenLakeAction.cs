namespace AlignSharp.Tasks.FrozenLake;

/// <summary>The four moves, numbered as Gymnasium's FrozenLake numbers them.</summary>
public enum FrozenLakeAction
{
    Left = 0,
    Down = 1,
    Right = 2,
    Up = 3,
}

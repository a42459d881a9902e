namespace AlignSharp.Data;

/// <summary>One reason a row cannot be trained on, with where it is.</summary>
public sealed record DatasetProblem(RowSource Source, string Message, string? Column = null)
{
    public override string ToString() =>
        Column is null ? $"{Source}: {Message}" : $"{Source}: column \"{Column}\": {Message}";
}

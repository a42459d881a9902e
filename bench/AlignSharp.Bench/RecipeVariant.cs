namespace AlignSharp.Bench;

/// <summary>A recipe configuration whose peak memory <c>recipe-memory</c> measures.</summary>
public enum RecipeVariant
{
    Sft,
    DpoSplit,
    DpoSplitNoTrim,
    DpoConcatenated,
    OrpoSplit,
    OrpoConcatenated,
    ModpoSplit,
    ModpoConcatenated,
    GrpoBeta0,
    GrpoBeta,
}

/// <summary>Command-line names of <see cref="RecipeVariant"/>.</summary>
public static class RecipeVariantNames
{
    public static IReadOnlyList<RecipeVariant> All { get; } = Enum.GetValues<RecipeVariant>();

    public static string Name(this RecipeVariant variant) => variant switch
    {
        RecipeVariant.Sft => "sft",
        RecipeVariant.DpoSplit => "dpo-split",
        RecipeVariant.DpoSplitNoTrim => "dpo-split-no-trim",
        RecipeVariant.DpoConcatenated => "dpo-concatenated",
        RecipeVariant.OrpoSplit => "orpo-split",
        RecipeVariant.OrpoConcatenated => "orpo-concatenated",
        RecipeVariant.ModpoSplit => "modpo-split",
        RecipeVariant.ModpoConcatenated => "modpo-concatenated",
        RecipeVariant.GrpoBeta0 => "grpo-beta0",
        RecipeVariant.GrpoBeta => "grpo-beta",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown recipe variant"),
    };

    public static RecipeVariant Parse(string name)
    {
        foreach (var variant in All)
            if (variant.Name() == name.Trim()) return variant;
        throw new ArgumentException($"unknown recipe \"{name}\"; expected one of {string.Join(", ", All.Select(Name))}");
    }
}

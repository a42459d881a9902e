namespace AlignSharp.Bench;

/// <summary>A recipe configuration whose peak memory <c>recipe-memory</c> measures.</summary>
public enum RecipeVariant { Sft, DpoSplit, DpoSplitNoTrim, DpoConcatenated }

/// <summary>Command-line names of <see cref="RecipeVariant"/>.</summary>
public static class RecipeVariantNames
{
    public static IReadOnlyList<RecipeVariant> All { get; } = [RecipeVariant.Sft, RecipeVariant.DpoSplit, RecipeVariant.DpoSplitNoTrim, RecipeVariant.DpoConcatenated];

    public static string Name(this RecipeVariant variant) => variant switch
    {
        RecipeVariant.Sft => "sft",
        RecipeVariant.DpoSplit => "dpo-split",
        RecipeVariant.DpoSplitNoTrim => "dpo-split-no-trim",
        RecipeVariant.DpoConcatenated => "dpo-concatenated",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown recipe variant"),
    };

    public static RecipeVariant Parse(string name)
    {
        foreach (var variant in All)
            if (variant.Name() == name.Trim()) return variant;
        throw new ArgumentException($"unknown recipe \"{name}\"; expected one of {string.Join(", ", All.Select(Name))}");
    }
}

using AlignSharp.Runtime;

namespace AlignSharp.Bench;

/// <summary>
/// Settings of <c>recipe-memory</c> (all variants and precisions, each in a child) and <c>recipe-memory-run</c>
/// (one variant and precision in this process, on the parent's model and data folders).
/// </summary>
public sealed record RecipeMemoryArguments(
    IReadOnlyList<RecipeVariant> Variants,
    IReadOnlyList<Precision> Precisions,
    int Steps = 3,
    int Threads = 1,
    string? Model = null,
    string? Data = null,
    string? Output = null)
{
    public static RecipeMemoryArguments Parse(IReadOnlyList<string> args)
    {
        var result = new RecipeMemoryArguments(RecipeVariantNames.All, [Precision.BFloat16, Precision.Float32]);
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--recipes" => result with { Variants = Value().Split(',').Select(RecipeVariantNames.Parse).ToArray() },
                "--precisions" => result with { Precisions = Value().Split(',').Select(PrecisionNames.Parse).ToArray() },
                "--steps" => result with { Steps = int.Parse(Value()) },
                "--threads" => result with { Threads = int.Parse(Value()) },
                "--model" => result with { Model = Value() },
                "--data" => result with { Data = Value() },
                "--output" => result with { Output = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (result.Steps < 1 || result.Threads < 1) throw new ArgumentException("--steps and --threads must be at least 1");
        return result;
    }
}

using AlignSharp.Runtime;

namespace AlignSharp.Bench;

/// <summary>
/// Settings of <c>train</c> (the comparison) and <c>train-run</c> (one configuration in this process).
/// Defaults keep <c>train</c> under about five minutes on two cores: one warm-up step, two timed steps,
/// two interleaved repeats, and no PyTorch fp32 (Debian's torch runs fp32 matmuls on the reference
/// BLAS, about 40x slower than its bf16 path; <c>--torch-fp32</c> adds it).
/// </summary>
public sealed record TrainArguments(
    IReadOnlyList<TrainObjective> Objectives,
    IReadOnlyList<Precision> Precisions,
    int WarmupSteps = 1,
    int TimedSteps = 2,
    int Repeats = 2,
    int Threads = 1,
    long Seed = 1,
    bool DpoConcatenated = false,
    bool NoTrim = false,
    bool TorchFloat32 = false,
    bool SkipTorch = false,
    string Python = "/usr/bin/python3",
    string? Script = null)
{
    public static TrainArguments Parse(IReadOnlyList<string> args)
    {
        var result = new TrainArguments([TrainObjective.Sft, TrainObjective.Dpo], [Precision.Float32, Precision.BFloat16]);
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--objectives" => result with { Objectives = Value().Split(',').Select(ParseObjective).ToArray() },
                "--precisions" => result with { Precisions = Value().Split(',').Select(PrecisionNames.Parse).ToArray() },
                "--warmup" => result with { WarmupSteps = int.Parse(Value()) },
                "--steps" => result with { TimedSteps = int.Parse(Value()) },
                "--repeats" => result with { Repeats = int.Parse(Value()) },
                "--threads" => result with { Threads = int.Parse(Value()) },
                "--seed" => result with { Seed = long.Parse(Value()) },
                "--dpo-concat" => result with { DpoConcatenated = true },
                "--no-trim" => result with { NoTrim = true },
                "--torch-fp32" => result with { TorchFloat32 = true },
                "--no-torch" => result with { SkipTorch = true },
                "--python" => result with { Python = Value() },
                "--script" => result with { Script = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (result.TimedSteps < 1 || result.WarmupSteps < 0 || result.Repeats < 1 || result.Threads < 1)
            throw new ArgumentException("--steps, --repeats and --threads must be at least 1, --warmup at least 0");
        return result;
    }

    public static TrainObjective ParseObjective(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sft" => TrainObjective.Sft,
        "dpo" => TrainObjective.Dpo,
        _ => throw new ArgumentException($"unknown objective \"{name}\"; expected sft or dpo"),
    };

    /// <summary>The options a child needs for one configuration, as command-line words (shared by both implementations).</summary>
    public IReadOnlyList<string> ChildOptions(TrainObjective objective, Precision precision)
    {
        var words = new List<string>
        {
            "--objectives", objective.ToString().ToLowerInvariant(), "--precisions", precision.Name(),
            "--warmup", WarmupSteps.ToString(), "--steps", TimedSteps.ToString(), "--threads", Threads.ToString(), "--seed", Seed.ToString(),
        };
        if (DpoConcatenated) words.Add("--dpo-concat");
        if (NoTrim) words.Add("--no-trim");
        return words;
    }
}

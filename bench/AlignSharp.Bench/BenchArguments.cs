namespace AlignSharp.Bench;

/// <summary>Command-line settings of the generation benchmark. One thread by default: on a shared
/// machine more threads than free cores make libtorch spin and the numbers meaningless.</summary>
public sealed record BenchArguments(
    string Arch = "llama",
    string Preset = "small",
    int Vocab = 32000,
    int PromptLength = 32,
    int NewTokens = 128,
    IReadOnlyList<int>? BatchSizes = null,
    int Threads = 1,
    long Seed = 1)
{
    public IReadOnlyList<int> Batches => BatchSizes ?? new[] { 1, 8 };

    public static BenchArguments Parse(string[] args)
    {
        var result = new BenchArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--arch" => result with { Arch = Value() },
                "--preset" => result with { Preset = Value() },
                "--vocab" => result with { Vocab = int.Parse(Value()) },
                "--prompt" => result with { PromptLength = int.Parse(Value()) },
                "--new-tokens" => result with { NewTokens = int.Parse(Value()) },
                "--batches" => result with { BatchSizes = Value().Split(',').Select(int.Parse).ToArray() },
                "--threads" => result with { Threads = int.Parse(Value()) },
                "--seed" => result with { Seed = long.Parse(Value()) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return result;
    }
}

using System.Diagnostics;
using System.Globalization;
using AlignSharp.Runtime;

namespace AlignSharp.Bench;

/// <summary>
/// The <c>train</c> command: every configuration runs in its own child process (so peak RSS is that
/// configuration's alone), AlignSharp and PyTorch interleaved and repeated, medians reported as one
/// table with AlignSharp/PyTorch ratios measured in the same run.
/// </summary>
public sealed class TrainComparison(TrainArguments options)
{
    public int Run()
    {
        string script = options.Script ?? FindScript();
        Console.WriteLine($"reference configuration: llama, vocab {ReferenceConfiguration.Vocab}, hidden {ReferenceConfiguration.Hidden}, {ReferenceConfiguration.Layers} layers, "
            + $"{ReferenceConfiguration.Heads} heads, intermediate {ReferenceConfiguration.Intermediate}, sequence {ReferenceConfiguration.SequenceLength} "
            + $"(prompt {ReferenceConfiguration.PromptLength}), batch {ReferenceConfiguration.Batch}; DPO {(options.DpoConcatenated ? "chosen+rejected in one pass" : "chosen then rejected")}");
        Console.WriteLine($"{options.WarmupSteps} warm-up + {options.TimedSteps} timed steps per run, {options.Repeats} repeat(s), {options.Threads} thread(s); load at start: {LoadAverage()}");
        var results = new List<TrainRunResult>();
        for (int repeat = 0; repeat < options.Repeats; repeat++)
            foreach (var objective in options.Objectives)
                foreach (var precision in options.Precisions)
                {
                    results.Add(RunChild("alignsharp", [.. ChildRun.SelfCommand(), "train-run", .. options.ChildOptions(objective, precision)]));
                    if (!options.SkipTorch && (precision != Precision.Float32 || options.TorchFloat32))
                        results.Add(RunChild("pytorch", [options.Python, script, .. options.ChildOptions(objective, precision)]));
                }
        Console.WriteLine($"load at end: {LoadAverage()}");
        Console.WriteLine();
        PrintTable(results);
        return 0;
    }

    /// <summary>Runs <paramref name="command"/> (program, then arguments) in a child process and reports its result.</summary>
    static TrainRunResult RunChild(string label, IReadOnlyList<string> command)
    {
        Console.Error.WriteLine($"  running {label}: {string.Join(' ', command.Skip(1).Where(a => !a.EndsWith(".dll") && !a.EndsWith(".py")))}");
        var result = ChildRun.Run<TrainRunResult>($"{label} run", command);
        Console.Error.WriteLine($"    {result.TokensPerSecond:F0} tok/s ({result.TokensPerCpuSecond:F0} per CPU-s), peak {result.PeakRssMegabytes:F0} MB, losses {string.Join(", ", result.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}");
        return result;
    }

    void PrintTable(IReadOnlyList<TrainRunResult> results)
    {
        Console.WriteLine("| objective | precision | AlignSharp tok/s | PyTorch tok/s | ratio | AlignSharp tok/CPU-s | PyTorch tok/CPU-s | CPU ratio | AlignSharp peak MB | PyTorch peak MB | AlignSharp fwd / bwd / opt CPU-s | PyTorch fwd / bwd / opt CPU-s |");
        Console.WriteLine("|-----------|-----------|-----------------:|--------------:|------:|---------------------:|------------------:|----------:|-------------------:|----------------:|------------------:|------------------:|");
        var median = new Dictionary<(string, string, string), (double TokensPerSecond, double TokensPerCpuSecond, double Peak, string Phases)>();
        foreach (var group in results.GroupBy(r => (r.Implementation, r.Objective, r.Precision)))
        {
            var runs = group.ToArray();
            string phases = string.Join(" / ", new[] { runs.SelectMany(r => r.ForwardSeconds), runs.SelectMany(r => r.BackwardSeconds), runs.SelectMany(r => r.OptimizerSeconds) }
                .Select(v => TrainRunResult.Median(v.ToArray()).ToString("F2", CultureInfo.InvariantCulture)));
            median[group.Key] = (TrainRunResult.Median(runs.Select(r => r.TokensPerSecond).ToArray()),
                TrainRunResult.Median(runs.Select(r => r.TokensPerCpuSecond).ToArray()), TrainRunResult.Median(runs.Select(r => r.PeakRssMegabytes).ToArray()), phases);
        }
        foreach (var objective in options.Objectives)
            foreach (var precision in options.Precisions)
            {
                string o = objective.ToString().ToLowerInvariant(), p = precision.Name();
                var ours = median.GetValueOrDefault(("alignsharp", o, p));
                bool hasTorch = median.TryGetValue(("pytorch", o, p), out var theirs);
                string torchRate = hasTorch ? theirs.TokensPerSecond.ToString("F0") : "—";
                string ratio = hasTorch ? (ours.TokensPerSecond / theirs.TokensPerSecond).ToString("F2") + "x" : "—";
                string torchPeak = hasTorch ? theirs.Peak.ToString("F0") : "—";
                string torchCpuRate = hasTorch ? theirs.TokensPerCpuSecond.ToString("F0") : "—";
                string cpuRatio = hasTorch ? (ours.TokensPerCpuSecond / theirs.TokensPerCpuSecond).ToString("F2") + "x" : "—";
                string torchPhases = hasTorch ? theirs.Phases : "—";
                Console.WriteLine($"| {o,-9} | {p,-9} | {ours.TokensPerSecond,16:F0} | {torchRate,13} | {ratio,5} | {ours.TokensPerCpuSecond,20:F0} | {torchCpuRate,17} | {cpuRatio,9} | {ours.Peak,18:F0} | {torchPeak,15} | {ours.Phases,17} | {torchPhases,17} |");
            }
        Console.WriteLine();
        foreach (string implementation in new[] { "alignsharp", "pytorch" })
        {
            if (median.TryGetValue((implementation, "sft", "fp32"), out var f) && median.TryGetValue((implementation, "sft", "bf16"), out var b))
                Console.WriteLine($"{implementation}: bf16/fp32 SFT speed-up {b.TokensPerSecond / f.TokensPerSecond:F2}x (CPU time {b.TokensPerCpuSecond / f.TokensPerCpuSecond:F2}x)");
            foreach (var precision in options.Precisions)
                if (median.TryGetValue((implementation, "dpo", precision.Name()), out var d) && median.TryGetValue((implementation, "sft", precision.Name()), out var s))
                    Console.WriteLine($"{implementation}: DPO/SFT peak memory {precision.Name()} {d.Peak / s.Peak:F2}x");
        }
    }

    /// <summary>This program again, whether started as an apphost or through <c>dotnet AlignSharp.Bench.dll</c>.</summary>
    static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "bench", "reference", "train_step.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/reference/train_step.py not found above the bench's folder; pass --script");
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

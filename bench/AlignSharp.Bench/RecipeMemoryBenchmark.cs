using System.Diagnostics;
using System.Globalization;
using AlignSharp.Data;
using AlignSharp.Recipes;
using AlignSharp.Runtime;
using AlignSharp.Tasks;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Bench;

/// <summary>
/// The <c>recipe-memory</c> command: peak RSS of the real recipes (SFT, DPO, ORPO, MODPO; see <see cref="RecipeVariantRun"/>)
/// on the reference configuration, each configuration in its own child process (<c>recipe-memory-run</c>) so VmHWM is its
/// own. The model folder is the reference model with the byte tokenizer; the data are random ASCII rows that tokenize to
/// exactly prompt 64 + completion 192 tokens (BOS + 63 bytes, 191 bytes + EOS), 8 rows or pairs per micro-batch.
/// The reference pass of DPO and MODPO runs 8 pairs at a time (as training does), so it is not what sets the peak.
/// </summary>
public static class RecipeMemoryBenchmark
{
    const int Rows = 16; // two micro-batches: the reference pass sees two batches and training two different ones
    const int ReferenceBatchSize = ReferenceConfiguration.Batch;

    public static int Run(RecipeMemoryArguments options)
    {
        string root = Directory.CreateTempSubdirectory("alignsharp-recipe-memory-").FullName;
        try
        {
            string model = Path.Combine(root, "model");
            long parameters = TinyModelFolder.Create(model, ReferenceConfiguration.Model(), seed: 1);
            string sft = Path.Combine(root, "sft.jsonl"), pairs = Path.Combine(root, "pairs.jsonl");
            WriteData(sft, pairs, new Random(1));
            CheckLengths(model, sft, pairs);
            Console.WriteLine($"reference configuration: llama, vocab {ReferenceConfiguration.Vocab}, hidden {ReferenceConfiguration.Hidden}, {ReferenceConfiguration.Layers} layers, "
                + $"{ReferenceConfiguration.Heads} heads, intermediate {ReferenceConfiguration.Intermediate}, {parameters / 1e6:F1}M parameters; "
                + $"{ReferenceConfiguration.Batch} rows/pairs of {ReferenceConfiguration.SequenceLength} tokens per step, {options.Steps} steps, {options.Threads} thread(s)");
            Console.WriteLine($"load at start: {LoadAverage()}");
            var results = new List<RecipeMemoryResult>();
            foreach (var precision in options.Precisions)
                foreach (var variant in options.Variants)
                    results.Add(RunChild(variant, precision, model, variant is RecipeVariant.Sft or RecipeVariant.GrpoBeta0 or RecipeVariant.GrpoBeta ? sft : pairs, Path.Combine(root, $"out-{variant.Name()}-{precision.Name()}"), options));
            Console.WriteLine($"load at end: {LoadAverage()}");
            Console.WriteLine();
            PrintTable(results);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The child: one recipe run in this process, then its RESULT line.</summary>
    public static int RunOne(RecipeMemoryArguments options)
    {
        torch.set_num_threads(options.Threads);
        var clock = new CpuClock();
        var variant = options.Variants.Single();
        var precision = options.Precisions.Single();
        var common = new RecipeOptions
        {
            Bf16 = precision == Precision.BFloat16,
            Training = new TrainingOptions
            {
                OutputDir = options.Output ?? throw new ArgumentException("recipe-memory-run needs --output"),
                MaxSteps = options.Steps,
                PerDeviceTrainBatchSize = ReferenceConfiguration.Batch,
                LearningRate = 1e-5,
                WeightDecay = 0,
                LrSchedulerType = "constant",
                LoggingSteps = 1,
                SaveSteps = 0,
            },
        };
        double peakAtStart = double.NaN, peakAfterSteps = double.NaN;
        var losses = new List<double>();
        var callbacks = new RecipeCallbacks
        {
            Log = Console.Error.WriteLine,
            Training = new TrainingCallbacks
            {
                OnStart = _ => peakAtStart = PeakMemory.PeakMegabytes(),
                OnStep = p =>
                {
                    losses.Add(p.Loss);
                    peakAfterSteps = PeakMemory.PeakMegabytes();
                    Console.Error.WriteLine($"  step {p.Step}: loss {p.Loss:F4}, peak so far {peakAfterSteps:F0} MB, current {PeakMemory.CurrentMegabytes():F0} MB");
                },
            },
        };
        string model = options.Model ?? throw new ArgumentException("recipe-memory-run needs --model");
        string data = options.Data ?? throw new ArgumentException("recipe-memory-run needs --data");
        RecipeVariantRun.Run(variant, model, data, common, ReferenceBatchSize, callbacks);
        Console.WriteLine(ChildRun.ResultLine(new RecipeMemoryResult(variant.Name(), precision.Name(), options.Steps, [.. losses],
            peakAtStart, peakAfterSteps, PeakMemory.PeakMegabytes(), clock.Seconds)));
        return 0;
    }

    /// <summary>Random printable ASCII: one byte per token with the byte tokenizer.</summary>
    static void WriteData(string sft, string pairs, Random random)
    {
        string Text(int length) => new(Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        int prompt = ReferenceConfiguration.PromptLength - 1, completion = ReferenceConfiguration.CompletionLength - 1; // BOS, EOS
        TaskDataFiles.WriteSft(sft, Enumerable.Range(0, Rows).Select(_ => new SftExample(Text(prompt), Text(completion))).ToArray());
        TaskDataFiles.WritePreferencePairs(pairs, Enumerable.Range(0, Rows).Select(_ => new PreferencePair(Text(prompt), Text(completion), Text(completion))).ToArray());
    }

    /// <summary>Every row as the recipes tokenize it must be exactly prompt 64 + completion 192, or the comparison is off.</summary>
    static void CheckLengths(string model, string sft, string pairs)
    {
        using var folder = ModelFolder.Load(model);
        var options = new RecipeOptions();
        var sequences = SftRecipe.Plan(folder, sft, options).Data.Rows.Cast<TokenizedExample>().Select(e => e.Sequence)
            .Concat(DpoRecipe.Plan(folder, pairs, options).Data.Rows.Cast<TokenizedPair>().SelectMany(p => p.Sequences));
        foreach (var sequence in sequences)
            if (sequence.Length != ReferenceConfiguration.SequenceLength || sequence.PromptLength != ReferenceConfiguration.PromptLength
                || sequence.LossTokenCount != ReferenceConfiguration.CompletionLength)
                throw new InvalidOperationException($"a row tokenized to {sequence.PromptLength} + {sequence.CompletionLength} tokens ({sequence.LossTokenCount} trained), "
                    + $"expected {ReferenceConfiguration.PromptLength} + {ReferenceConfiguration.CompletionLength}");
    }

    static RecipeMemoryResult RunChild(RecipeVariant variant, Precision precision, string model, string data, string output, RecipeMemoryArguments options)
    {
        Console.Error.WriteLine($"  running {variant.Name()} {precision.Name()}");
        var result = ChildRun.Run<RecipeMemoryResult>($"{variant.Name()} {precision.Name()}",
        [
            .. ChildRun.SelfCommand(), "recipe-memory-run", "--recipes", variant.Name(), "--precisions", precision.Name(),
            "--steps", options.Steps.ToString(CultureInfo.InvariantCulture), "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
            "--model", model, "--data", data, "--output", output,
        ]);
        Console.Error.WriteLine($"    peak {result.PeakMegabytes:F0} MB (at start {result.PeakAtStartMegabytes:F0}, after steps {result.PeakAfterStepsMegabytes:F0}), "
            + $"{result.CpuSeconds:F0} CPU-s, losses {string.Join(", ", result.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}");
        return result;
    }

    static void PrintTable(IReadOnlyList<RecipeMemoryResult> results)
    {
        Console.WriteLine("| recipe | precision | peak MB | ratio to SFT | peak MB at step 1 (load + reference pass) | peak MB after the steps | CPU-s | losses |");
        Console.WriteLine("|--------|-----------|--------:|-------------:|------------------------------------------:|------------------------:|------:|--------|");
        foreach (var result in results)
        {
            var sft = results.FirstOrDefault(r => r.Recipe == RecipeVariant.Sft.Name() && r.Precision == result.Precision);
            string ratio = sft is null ? "—" : (result.PeakMegabytes / sft.PeakMegabytes).ToString("F2", CultureInfo.InvariantCulture) + "x";
            string losses = string.Join(", ", result.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)));
            Console.WriteLine($"| {result.Recipe} | {result.Precision} | {result.PeakMegabytes:F0} | {ratio} | {result.PeakAtStartMegabytes:F0} | {result.PeakAfterStepsMegabytes:F0} | {result.CpuSeconds:F0} | {losses} |");
        }
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

using AlignSharp.Bench;
using AlignSharp.Modeling;
using AlignSharp.Runtime;
using TorchSharp;

// Usage: dotnet run -c Release --project bench/AlignSharp.Bench -- generate [--arch llama] [--preset small]
//        [--vocab 32000] [--prompt 32] [--new-tokens 128] [--batches 1,8] [--threads 1] [--seed 1]
//    or: dotnet run -c Release --project bench/AlignSharp.Bench -- train [--objectives sft,dpo] [--precisions fp32,bf16]
//        [--warmup 1] [--steps 2] [--repeats 2] [--threads 1] [--seed 1] [--dpo-concat] [--no-trim] [--torch-fp32] [--no-torch]
//        [--python /usr/bin/python3] [--script bench/reference/train_step.py]
//    or: dotnet run -c Release --project bench/AlignSharp.Bench -- matmul [--threads 1]
//    or: dotnet run -c Release --project bench/AlignSharp.Bench -- grpo [--steps 4] [--threads 1]
//    or: dotnet run -c Release --project bench/AlignSharp.Bench -- recipe-memory [--recipes sft,dpo-split,dpo-split-no-trim,dpo-concatenated,
//        orpo-split,orpo-concatenated,modpo-split,modpo-concatenated]
//        [--precisions bf16,fp32] [--steps 3] [--threads 1]
//    (train-run takes the same options and measures one objective and precision in this process;
//     recipe-memory-run, with --model, --data and --output, runs one recipe and precision in this process.)
const string usage = "usage: AlignSharp.Bench generate [options] | train [options] | train-run [options] | matmul [--threads n] | grpo [--steps n] | recipe-memory [options]  (see Program.cs)";
if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}
switch (args[0])
{
    case "train":
        return new TrainComparison(TrainArguments.Parse(args.Skip(1).ToArray())).Run();
    case "train-run":
    {
        var train = TrainArguments.Parse(args.Skip(1).ToArray());
        torch.set_num_threads(train.Threads);
        using var run = new TrainStepBenchmark(train.Objectives[0], train.Precisions[0], train.DpoConcatenated, !train.NoTrim, train.Seed);
        Console.WriteLine(ChildRun.ResultLine(run.Run(train.WarmupSteps, train.TimedSteps, train.Threads)));
        return 0;
    }
    case "recipe-memory":
        return RecipeMemoryBenchmark.Run(RecipeMemoryArguments.Parse(args.Skip(1).ToArray()));
    case "recipe-memory-run":
        return RecipeMemoryBenchmark.RunOne(RecipeMemoryArguments.Parse(args.Skip(1).ToArray()));
    case "grpo":
        return GrpoStepBenchmark.Run(args.Skip(1).ToArray());
    case "matmul":
        return MatmulBenchmark.Run(args.Length > 2 && args[1] == "--threads" ? int.Parse(args[2]) : 1);
    case "generate":
        break;
    default:
        Console.Error.WriteLine(usage);
        return 2;
}

var options = BenchArguments.Parse(args.Skip(1).ToArray());
torch.set_num_threads(options.Threads);

var config = ModelPresets.Create(options.Arch, options.Preset, options.Vocab);
using var model = new CausalLM(config);
model.InitializeWeights(options.Seed);
model.eval();
long parameters = model.parameters().Sum(p => p.numel());
Console.WriteLine($"model: {options.Arch}/{options.Preset}, vocab {options.Vocab}, {parameters / 1e6:F1}M parameters, fp32, {options.Threads} thread(s)");
Console.WriteLine($"prompt {options.PromptLength} tokens, {options.NewTokens} new tokens per row, seeded sampling (temperature 1)");

var benchmark = new GenerationBenchmark(model, options.PromptLength, options.NewTokens, options.Seed);
benchmark.WarmUp();
Console.WriteLine();
Console.WriteLine("| batch | with KV cache (tok/s) | without cache (tok/s) | speed-up |");
Console.WriteLine("|------:|----------------------:|----------------------:|---------:|");
foreach (int batch in options.Batches)
{
    var cached = benchmark.Measure(batch, useKvCache: true);
    var uncached = benchmark.Measure(batch, useKvCache: false);
    Console.WriteLine($"| {batch,5} | {cached.TokensPerSecond,21:F1} | {uncached.TokensPerSecond,21:F1} | {cached.TokensPerSecond / uncached.TokensPerSecond,7:F1}x |");
}
return 0;

using AlignSharp.Bench;
using AlignSharp.Modeling;
using TorchSharp;

// Usage: dotnet run -c Release --project bench/AlignSharp.Bench -- generate [--arch llama] [--preset small]
//        [--vocab 32000] [--prompt 32] [--new-tokens 128] [--batches 1,8] [--threads 1] [--seed 1]
if (args.Length == 0 || args[0] != "generate")
{
    Console.Error.WriteLine("usage: AlignSharp.Bench generate [--arch llama] [--preset small] [--vocab 32000] [--prompt 32] [--new-tokens 128] [--batches 1,8] [--threads 1] [--seed 1]");
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

using System.Diagnostics;
using AlignSharp.Generation;
using AlignSharp.Modeling;

namespace AlignSharp.Bench;

/// <summary>One measured configuration: batch size, cache on or off, and the generation throughput.</summary>
public sealed record GenerationMeasurement(int BatchSize, bool UseKvCache, int GeneratedTokens, double Seconds)
{
    public double TokensPerSecond => GeneratedTokens / Seconds;
}

/// <summary>
/// Tokens per second of <see cref="SequenceGenerator"/> with and without the KV cache. Every row generates
/// exactly <c>newTokens</c> tokens (no stop ids), sampled with a fixed seed, from random prompts.
/// </summary>
public sealed class GenerationBenchmark(ICausalLM model, int promptLength, int newTokens, long seed)
{
    public GenerationMeasurement Measure(int batchSize, bool useKvCache)
    {
        var random = new Random((int)seed + batchSize);
        var prompts = Enumerable.Range(0, batchSize)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, promptLength).Select(_ => random.Next((int)model.VocabSize)).ToArray())
            .ToArray();
        var options = new GenerationOptions(MaxNewTokens: newTokens, Seed: seed, StopAtEos: false, UseKvCache: useKvCache);
        var generator = new SequenceGenerator(model);
        var clock = Stopwatch.StartNew();
        var results = generator.Generate(prompts, options);
        clock.Stop();
        return new GenerationMeasurement(batchSize, useKvCache, results.Sum(r => r.TokenIds.Length), clock.Elapsed.TotalSeconds);
    }

    /// <summary>A short run so JIT and allocator warm-up are not timed.</summary>
    public void WarmUp()
    {
        var prompts = new IReadOnlyList<int>[] { Enumerable.Range(0, promptLength).Select(i => i % (int)model.VocabSize).ToArray() };
        new SequenceGenerator(model).Generate(prompts, new GenerationOptions(MaxNewTokens: 4, Seed: seed, StopAtEos: false));
        new SequenceGenerator(model).Generate(prompts, new GenerationOptions(MaxNewTokens: 4, Seed: seed, StopAtEos: false, UseKvCache: false));
    }
}

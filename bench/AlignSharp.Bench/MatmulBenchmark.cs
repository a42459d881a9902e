using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Bench;

/// <summary>
/// The <c>matmul</c> command: GFLOP/s of the reference configuration's projections (forward shape
/// [tokens, in] · [out, in]ᵀ) in fp32 and bf16, plus the cost of casting all weights to bf16 once,
/// all in process CPU time, to tell how much of a training step is matrix work and how much is everything else.
/// </summary>
public static class MatmulBenchmark
{
    public static int Run(int threads)
    {
        torch.set_num_threads(threads);
        const int tokens = ReferenceConfiguration.Batch * ReferenceConfiguration.SequenceLength;
        var shapes = new (string Name, int In, int Out)[]
        {
            ("q/k/v/o", ReferenceConfiguration.Hidden, ReferenceConfiguration.Hidden),
            ("gate/up", ReferenceConfiguration.Hidden, ReferenceConfiguration.Intermediate),
            ("down", ReferenceConfiguration.Intermediate, ReferenceConfiguration.Hidden),
            ("lm head", ReferenceConfiguration.Hidden, ReferenceConfiguration.Vocab),
        };
        Console.WriteLine($"{threads} thread(s), {tokens} tokens; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| projection | fp32 GFLOP/s | bf16 GFLOP/s | speed-up |");
        Console.WriteLine("|------------|-------------:|-------------:|---------:|");
        foreach (var (name, input, output) in shapes)
        {
            double fp32 = GigaFlops(tokens, input, output, ScalarType.Float32);
            double bf16 = GigaFlops(tokens, input, output, ScalarType.BFloat16);
            Console.WriteLine($"| {name,-10} | {fp32,12:F1} | {bf16,12:F1} | {bf16 / fp32,7:F2}x |");
        }
        Console.WriteLine("| attention fwd+bwd (bf16 unless said) | ms of CPU |");
        Console.WriteLine("|--------------------------------------|----------:|");
        foreach (var variant in new[] { "sdpa causal", "sdpa additive mask", "manual, fp32 softmax", "sdpa causal, fp32" })
            Console.WriteLine($"| {variant,-36} | {AttentionMilliseconds(variant),9:F1} |");
        using (var scope = NewDisposeScope())
        {
            long parameters = (long)ReferenceConfiguration.Layers * (4L * ReferenceConfiguration.Hidden * ReferenceConfiguration.Hidden
                + 3L * ReferenceConfiguration.Hidden * ReferenceConfiguration.Intermediate) + 2L * ReferenceConfiguration.Vocab * ReferenceConfiguration.Hidden;
            var weights = randn(parameters);
            weights.to(ScalarType.BFloat16).Dispose();
            double start = CpuClock.Now();
            for (int i = 0; i < 5; i++) weights.to(ScalarType.BFloat16).Dispose();
            Console.WriteLine($"casting all {parameters / 1e6:F1}M weights to bf16: {(CpuClock.Now() - start) * 1000 / 5:F1} ms of CPU time");
        }
        return 0;
    }

    /// <summary>One layer's attention core on the reference batch (8 × 8 heads × 256 × 64), forward and backward.</summary>
    static double AttentionMilliseconds(string variant)
    {
        const int batch = ReferenceConfiguration.Batch, heads = ReferenceConfiguration.Heads, time = ReferenceConfiguration.SequenceLength;
        const int dim = ReferenceConfiguration.Hidden / ReferenceConfiguration.Heads;
        using var scope = NewDisposeScope();
        var type = variant.EndsWith("fp32") ? ScalarType.Float32 : ScalarType.BFloat16;
        var q = randn(batch, heads, time, dim).to(type).requires_grad_(true);
        var k = randn(batch, heads, time, dim).to(type).requires_grad_(true);
        var v = randn(batch, heads, time, dim).to(type).requires_grad_(true);
        var mask = AlignSharp.Modeling.AttentionMask.Build(ones(batch, time, dtype: ScalarType.Int64), batch, time, 0, null, ScalarType.BFloat16, CPU)!;
        void Once()
        {
            using var inner = NewDisposeScope();
            Tensor output = variant switch
            {
                "sdpa causal" or "sdpa causal, fp32" => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true),
                "sdpa additive mask" => nn.functional.scaled_dot_product_attention(q, k, v, mask),
                _ => matmul(softmax(matmul(q, k.transpose(2, 3)).div(Math.Sqrt(dim)).add(mask), -1, ScalarType.Float32).to(ScalarType.BFloat16), v),
            };
            output.sum().backward();
        }
        Once();
        double start = CpuClock.Now();
        for (int i = 0; i < 5; i++) Once();
        return (CpuClock.Now() - start) * 1000 / 5;
    }

    static double GigaFlops(int tokens, int input, int output, ScalarType type)
    {
        using var scope = NewDisposeScope();
        var x = randn(tokens, input).to(type);
        var w = randn(output, input).to(type);
        nn.functional.linear(x, w).Dispose();
        int repeats = 0;
        double start = CpuClock.Now();
        while (CpuClock.Now() - start < 1.0 || repeats < 3)
        {
            nn.functional.linear(x, w).Dispose();
            repeats++;
        }
        return 2.0 * tokens * input * output * repeats / (CpuClock.Now() - start) / 1e9;
    }

}

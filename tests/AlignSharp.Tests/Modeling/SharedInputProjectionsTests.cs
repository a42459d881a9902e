using AlignSharp.Modeling;
using AlignSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

using Precision = AlignSharp.Runtime.Precision;

public class SharedInputProjectionsTests
{
    static LinearLayer[] Layers(bool bias, Precision precision)
    {
        using var seed = manual_seed(11);
        LinearLayer[] layers = [new LinearLayer(6, 8, bias), new LinearLayer(6, 4, bias), new LinearLayer(6, 4, bias)];
        using (no_grad())
            foreach (var layer in layers)
            {
                layer.Weight.normal_(0, 0.5);
                layer.Bias?.normal_(0, 0.5);
                layer.Precision = precision;
            }
        return layers;
    }

    /// <summary>Outputs, and the gradients of an uneven weighted sum of them with respect to the input and every parameter.</summary>
    static (float[][] Outputs, float[] InputGrad, float[][] ParameterGrads) Run(LinearLayer[] layers, bool fused)
    {
        using var scope = NewDisposeScope();
        using var seed = manual_seed(3);
        Tensor input = randn(2, 5, 6).requires_grad_(true);
        Tensor[] outputs = fused ? SharedInputProjections.Forward(input, layers) : layers.Select(l => l.Forward(input)).ToArray();
        Tensor loss = zeros(1);
        for (int i = 0; i < outputs.Length; i++)
            loss = loss + (outputs[i].to(ScalarType.Float32) * arange(1, outputs[i].numel() + 1, dtype: ScalarType.Float32).reshape(outputs[i].shape)).sum() * (i + 1);
        loss.backward();
        var parameterGrads = layers.SelectMany(l => l.parameters()).Select(p => p.grad!.data<float>().ToArray()).ToArray();
        foreach (var p in layers.SelectMany(l => l.parameters())) p.grad = null;
        return (outputs.Select(o => o.to(ScalarType.Float32).data<float>().ToArray()).ToArray(), input.grad!.data<float>().ToArray(), parameterGrads);
    }

    static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, $"{what}: all zero");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"{what}[{i}]: separate {expected[i]} vs fused {actual[i]}");
    }

    [Theory]
    [InlineData(false, Precision.Float32, 1e-6)]
    [InlineData(true, Precision.Float32, 1e-6)]
    // bf16: the fused backward sums the three input gradients inside one matmul (fp32 accumulation, one
    // rounding to bf16); the separate layers round each to bf16 first. Both within bf16's precision.
    [InlineData(true, Precision.BFloat16, 2e-2)]
    public void OneMatmulEqualsTheSeparateLayersInValuesAndGradients(bool bias, Precision precision, double relative)
    {
        var layers = Layers(bias, precision);
        try
        {
            var separate = Run(layers, fused: false);
            var fused = Run(layers, fused: true);
            for (int i = 0; i < layers.Length; i++) AssertClose(separate.Outputs[i], fused.Outputs[i], relative, $"output {i}");
            AssertClose(separate.InputGrad, fused.InputGrad, relative, "input gradient");
            Assert.Equal(bias ? 6 : 3, separate.ParameterGrads.Length);
            for (int i = 0; i < separate.ParameterGrads.Length; i++) AssertClose(separate.ParameterGrads[i], fused.ParameterGrads[i], relative, $"parameter {i} gradient");
        }
        finally
        {
            foreach (var layer in layers) layer.Dispose();
        }
    }

    [Fact]
    public void FusesOnlyWhileBuildingAGraphForTrainableWeights()
    {
        var layers = Layers(bias: false, Precision.Float32);
        Assert.True(SharedInputProjections.ShouldFuse(layers));
        using (no_grad()) Assert.False(SharedInputProjections.ShouldFuse(layers)); // scoring, generation: no copy of the weights
        foreach (var layer in layers) layer.Weight.requires_grad_(false);
        Assert.False(SharedInputProjections.ShouldFuse(layers));
        foreach (var layer in layers) layer.Dispose();
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")] // q/k/v biases
    public void ATrainingForwardEqualsTheGoldenCheckedNoGradForward(string arch)
    {
        // The golden parity tests run without gradients, i.e. through the separate layers; training runs the fused ones.
        using var model = ModelTestData.TinyModel(arch);
        model.train();
        var ids = tensor(new long[,] { { 1, 5, 9, 3, 7, 2 }, { 1, 4, 4, 8, 6, 2 } });
        float[] withGraph, withoutGraph;
        using (var scope = NewDisposeScope())
        {
            Tensor logProbs = ModelTestData.NextTokenLogProbs(model, ids);
            Assert.True(logProbs.requires_grad);
            withGraph = logProbs.detach().reshape(-1).data<float>().ToArray();
        }
        using (no_grad())
        using (var scope = NewDisposeScope())
            withoutGraph = ModelTestData.NextTokenLogProbs(model, ids).reshape(-1).data<float>().ToArray();
        for (int i = 0; i < withGraph.Length; i++)
            Assert.True(Math.Abs(withGraph[i] - withoutGraph[i]) <= 1e-4, $"[{i}]: training {withGraph[i]} vs no-grad {withoutGraph[i]}");
    }
}

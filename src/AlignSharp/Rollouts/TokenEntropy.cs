using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Rollouts;

/// <summary>
/// Mean entropy (nats) of the policy's next-token distribution at the trained positions, at the sampling temperature:
/// TRL's <c>entropy</c> metric, the first sign of entropy collapse. No gradients; the head runs a chunk of positions at a time.
/// </summary>
public static class TokenEntropy
{
    public static double Mean(ICausalLM model, Tensor trainedHidden, double temperature, int chunkPositions)
    {
        long positions = trainedHidden.shape[0];
        if (positions == 0) return 0;
        using var noGrad = no_grad();
        double sum = 0;
        for (long start = 0; start < positions; start += chunkPositions)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(chunkPositions, positions - start);
            Tensor logits = model.Logits(trainedHidden.narrow(0, start, length)).to_type(ScalarType.Float32);
            if (temperature != 1.0) logits = logits / temperature;
            Tensor logProbs = logits.log_softmax(-1);
            sum += (-(logProbs.exp() * logProbs).sum()).ToDouble();
        }
        return sum / positions;
    }
}

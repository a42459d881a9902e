using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// IFT's "temporal residual connection" on the inputs, as the official code builds it (algorithms.md §1 (a) 1–3):
/// one-step-ahead greedy predictions from a pass on the gold prefix (not an autoregressive rollout), shifted so each
/// position's input is the model's guess for that position, and mixed e_t = (1−λ)·E(y*_t) + λ·E(ŷ_t) at trained
/// positions only. Tensor-level, so a tabular policy can use one-hot "embeddings".
/// </summary>
public static class IftInputs
{
    /// <summary>
    /// [batch, time] input ids with ŷ_t = argmax(logits[t−1]) at positions where <paramref name="lossMask"/> is true
    /// (the trained tokens, aligned with <paramref name="inputIds"/>), and the gold id everywhere else (position 0,
    /// prompt, padding). <paramref name="predictions"/>: [batch, time] argmax ids of each position's next token.
    /// </summary>
    public static Tensor PredictedInputIds(Tensor inputIds, Tensor predictions, Tensor lossMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(lossMask);
        if (!inputIds.shape.SequenceEqual(predictions.shape) || !inputIds.shape.SequenceEqual(lossMask.shape) || inputIds.dim() != 2)
            throw new ArgumentException(
                $"IFT: input ids {ObjectiveTensors.Shape(inputIds)}, predictions {ObjectiveTensors.Shape(predictions)} and loss mask {ObjectiveTensors.Shape(lossMask)} must all be [batch, time]");
        using var scope = torch.NewDisposeScope();
        long time = inputIds.shape[1];
        var shifted = torch.cat([inputIds.narrow(1, 0, 1), predictions.narrow(1, 0, time - 1).to_type(inputIds.dtype)], 1);
        return torch.where(ObjectiveTensors.Selected(lossMask), shifted, inputIds).MoveToOuterDisposeScope();
    }

    /// <summary>(1−λ)·gold + λ·predicted, elementwise (embeddings of the same shape).</summary>
    public static Tensor Mix(Tensor goldEmbeddings, Tensor predictedEmbeddings, double lambda)
    {
        ArgumentNullException.ThrowIfNull(goldEmbeddings);
        ArgumentNullException.ThrowIfNull(predictedEmbeddings);
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "IFT: lambda must be in [0, 1]");
        // λ = 0 returns the gold embeddings bit for bit (no 1·x + 0·y rounding), so IFT reduces to SFT exactly.
        if (lambda == 0) return goldEmbeddings.alias();
        using var scope = torch.NewDisposeScope();
        return goldEmbeddings.mul(1 - lambda).add(predictedEmbeddings.mul(lambda)).MoveToOuterDisposeScope();
    }
}

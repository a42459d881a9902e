using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Recipes;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Rollouts;

/// <summary>
/// Per-token log-probs of sampled completions under a model at the sampling temperature, as [batch, time − 1]
/// tensors aligned with <see cref="LossTokenLogProbs"/> (column t predicts token t + 1), computed in chunks of
/// positions (no [batch, time, vocab] logits). Also turns per-completion-token arrays (the sampler's, the reference's)
/// into tensors of that layout, so every objective compares like with like.
/// </summary>
public static class CompletionTokenLogProbs
{
    /// <summary>
    /// Differentiable when grad is on: (token log-probs, loss mask, final hidden states of the predicting positions
    /// that are trained, detached, for the entropy) in the caller's dispose scope.
    /// </summary>
    public static (Tensor LogProbs, Tensor Mask, Tensor TrainedHidden) Compute(CausalLM model, SequenceBatch batch, double temperature, int chunkPositions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        Tensor hidden = model.Hidden(batch.InputIds, batch.AttentionMask);
        var (logProbs, mask) = LossTokenLogProbs.FromHidden(new TemperatureScaledHead(model, temperature), hidden, batch, chunkPositions);
        long rows = batch.BatchSize, time = batch.TimeSteps;
        Tensor positions = mask.reshape(-1).nonzero().squeeze(1);
        Tensor trained = hidden.detach().narrow(1, 0, time - 1).reshape(rows * (time - 1), hidden.shape[^1]).index_select(0, positions);
        return (logProbs, mask, trained);
    }

    /// <summary>
    /// Token log-probs of <paramref name="sequences"/> without gradients, as one array per example aligned with its
    /// completion tokens (what a rollout stores as old or reference log-probs), <paramref name="batchSize"/> rows at a time.
    /// </summary>
    public static float[][] PerCompletionToken(CausalLM model, IReadOnlyList<TokenizedSequence> sequences, int paddingId, double temperature,
        int chunkPositions, int batchSize)
    {
        var result = new float[sequences.Count][];
        using var noGrad = no_grad();
        for (int start = 0; start < sequences.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var slice = sequences.Skip(start).Take(batchSize).ToArray();
            using SequenceBatch batch = BatchCollator.Collate(slice, paddingId);
            Tensor hidden = model.Hidden(batch.InputIds, batch.AttentionMask);
            // All completion positions, trained or not (a masked truncated completion still has log-probs).
            using SequenceBatch all = WithCompletionMask(batch, slice);
            var (logProbs, _) = LossTokenLogProbs.FromHidden(new TemperatureScaledHead(model, temperature), hidden, all, chunkPositions);
            float[] flat = logProbs.cpu().data<float>().ToArray();
            long width = batch.TimeSteps - 1;
            for (int i = 0; i < slice.Length; i++)
            {
                var row = new float[slice[i].CompletionLength];
                for (int j = 0; j < row.Length; j++) row[j] = flat[i * width + slice[i].PromptLength - 1 + j];
                result[start + i] = row;
            }
        }
        return result;
    }

    /// <summary>[batch, time − 1] fp32 tensor holding each example's per-completion-token values at the positions predicting them, 0 elsewhere.</summary>
    public static Tensor Aligned(IReadOnlyList<TokenizedSequence> sequences, IReadOnlyList<float[]> values, long time, Device device)
    {
        long width = time - 1;
        var flat = new float[sequences.Count * width];
        for (int i = 0; i < sequences.Count; i++)
        {
            if (values[i].Length != sequences[i].CompletionLength)
                throw new ArgumentException($"example {i}: {values[i].Length} values for {sequences[i].CompletionLength} completion tokens", nameof(values));
            for (int j = 0; j < values[i].Length; j++) flat[i * width + sequences[i].PromptLength - 1 + j] = values[i][j];
        }
        return tensor(flat, new long[] { sequences.Count, width }, device: device);
    }

    /// <summary>The batch with its loss mask replaced by "every completion token" (prompt and padding still false).</summary>
    static SequenceBatch WithCompletionMask(SequenceBatch batch, IReadOnlyList<TokenizedSequence> sequences)
    {
        long time = batch.TimeSteps;
        var mask = new bool[sequences.Count * time];
        for (int i = 0; i < sequences.Count; i++)
            for (int t = sequences[i].PromptLength; t < sequences[i].Length; t++) mask[i * time + t] = true;
        Tensor lossMask = tensor(mask, new long[] { sequences.Count, time }, device: batch.InputIds.device);
        return new SequenceBatch(batch.InputIds.alias(), batch.AttentionMask.alias(), lossMask, batch.Labels.alias(), batch.Lengths, batch.PromptLengths);
    }
}

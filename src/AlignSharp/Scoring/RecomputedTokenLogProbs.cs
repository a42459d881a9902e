using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>
/// Chunked log p(target | hidden) whose backward pass recomputes each chunk's logits, so only the
/// hidden states are kept between forward and backward, never [positions, vocab] fp32 activations.
/// Inputs: the model (for its projection), hidden [positions, hidden], targets [positions], chunk size.
/// Gradients flow to the hidden states (returned) and to the projection's parameters (accumulated by
/// a nested backward over the recomputed chunk, as reentrant activation checkpointing does).
/// </summary>
internal sealed class RecomputedTokenLogProbs : autograd.SingleTensorFunction<RecomputedTokenLogProbs>
{
    public override string Name => nameof(RecomputedTokenLogProbs);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (model, hidden, targets, chunk) = ((ICausalLM)vars[0], (Tensor)vars[1], (Tensor)vars[2], (int)vars[3]);
        ctx.save_for_backward(new List<Tensor> { hidden, targets });
        ctx.save_data("model", model);
        ctx.save_data("chunk", chunk);
        // Runs with autograd off (TorchSharp's Function.apply), so no chunk keeps a graph.
        return ChunkedLogProbs.GatherWithoutGraph(model, hidden, targets, chunk);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var model = (ICausalLM)ctx.get_data("model");
        int chunk = (int)ctx.get_data("chunk");
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor hidden = saved[0], targets = saved[1];
        long positions = hidden.shape[0];
        // Filled in place, chunk by chunk (see GatherWithoutGraph on heap fragmentation).
        Tensor gradHidden = zeros_like(hidden);
        using (enable_grad())
        {
            for (long start = 0; start < positions; start += chunk)
            {
                long length = Math.Min(chunk, positions - start);
                using var chunkScope = NewDisposeScope();
                Tensor hiddenChunk = hidden.narrow(0, start, length).detach().requires_grad_(true);
                Tensor picked = ChunkedLogProbs.ChunkLogProbs(model, hiddenChunk, targets.narrow(0, start, length));
                picked.backward(new[] { gradOutput.narrow(0, start, length) });
                using (no_grad()) gradHidden.narrow(0, start, length).copy_(hiddenChunk.grad!);
            }
        }
        // The autograd engine reads the returned tensor after this method returns: it must outlive this scope.
        // No gradient for the model, the targets or the chunk size.
        return new List<Tensor> { null!, gradHidden.MoveToOuterDisposeScope(), null!, null! };
    }
}

using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// What scoring, generation and every objective need from a causal language model. The hidden
/// states and the vocabulary projection are separate so callers can project in chunks and never
/// hold float32 logits for a whole batch.
/// </summary>
public interface ICausalLM
{
    /// <summary>Number of rows of the output projection (logit width).</summary>
    long VocabSize { get; }

    /// <summary>Number of decoder layers (the size of a <see cref="KvCache"/>).</summary>
    int LayerCount { get; }

    /// <summary>
    /// Final hidden states [batch, time, hidden] after the last norm.
    /// <paramref name="attentionMask"/>: [batch, cached + time], 1 for real tokens and 0 for padding
    /// (covers the cached positions too); null means no padding.
    /// <paramref name="positionIds"/>: [batch, time]; null means cached_length + 0..time-1 for every row.
    /// <paramref name="cache"/>: when given, this step's keys and values are appended to it.
    /// </summary>
    Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null);

    /// <summary>
    /// <see cref="Hidden"/> over packed rows (no cache): <paramref name="documentIds"/> [batch, time] gives each token's
    /// document (contiguous runs of equal ids; padding a run of its own). A token attends only to earlier tokens of its
    /// document and positions restart at 0 per document, so each document's states equal those of running it alone
    /// (transformers' packed position_ids / flash-attention varlen). Models without packing support throw.
    /// </summary>
    Tensor HiddenPacked(Tensor inputIds, Tensor documentIds, Tensor? attentionMask = null) =>
        throw new NotSupportedException($"{GetType().Name} does not run packed rows (document ids)");

    /// <summary>Projects hidden states [..., hidden] to logits [..., vocab].</summary>
    Tensor Logits(Tensor hidden);
}

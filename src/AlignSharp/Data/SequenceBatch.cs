using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Data;

/// <summary>
/// Right-padded sequences as tensors, all [batch, time]. Padding side is internal to collation
/// (DESIGN.md pitfall 6). <see cref="LossMask"/> is aligned with <see cref="InputIds"/>: true where that
/// token is trained on (prompt and padding false); for next-token prediction the targets of positions
/// 0..T-2 are InputIds[:, 1:] and their mask is LossMask[:, 1:]. <see cref="Labels"/> is the Hugging Face
/// form: the input ids with <see cref="IgnoreIndex"/> wherever the loss mask is false.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    /// <summary>The label value Hugging Face and PyTorch's cross-entropy ignore.</summary>
    public const long IgnoreIndex = -100;

    public SequenceBatch(Tensor inputIds, Tensor attentionMask, Tensor lossMask, Tensor labels, IReadOnlyList<int> lengths, IReadOnlyList<int> promptLengths)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        LossMask = lossMask;
        Labels = labels;
        Lengths = lengths;
        PromptLengths = promptLengths;
    }

    /// <summary>int64 token ids, padding filled with the pad id.</summary>
    public Tensor InputIds { get; }

    /// <summary>int64, 1 on real tokens, 0 on padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>bool, true on the tokens the loss is computed on.</summary>
    public Tensor LossMask { get; }

    /// <summary>int64, the input ids where the loss mask is true, <see cref="IgnoreIndex"/> elsewhere.</summary>
    public Tensor Labels { get; }

    /// <summary>Unpadded length of each sequence.</summary>
    public IReadOnlyList<int> Lengths { get; }

    public IReadOnlyList<int> PromptLengths { get; }

    public long BatchSize => InputIds.shape[0];

    public long TimeSteps => InputIds.shape[1];

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        LossMask.Dispose();
        Labels.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>Position ids of packed rows: each document restarts at 0, as if it were run alone.</summary>
public static class PackedPositions
{
    /// <summary>
    /// <paramref name="documentIds"/> [batch, time]: a document is a run of equal ids (contiguous); a new run starts
    /// a document, so padding with its own id gets positions too (valid indices whose value is irrelevant).
    /// Returns int64 [batch, time]: the index of each token within its run.
    /// </summary>
    public static Tensor FromDocumentIds(Tensor documentIds)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        if (documentIds.dim() != 2) throw new ArgumentException($"document ids must be [batch, time], got [{string.Join(", ", documentIds.shape)}]");
        using var scope = NewDisposeScope();
        long batch = documentIds.shape[0], time = documentIds.shape[1];
        var index = arange(time, ScalarType.Int64, documentIds.device).unsqueeze(0).expand(batch, time);
        if (time == 0) return index.clone().MoveToOuterDisposeScope();
        var changed = documentIds.narrow(1, 1, time - 1).ne(documentIds.narrow(1, 0, time - 1));
        var starts = cat([ones(batch, 1, ScalarType.Bool, documentIds.device), changed], 1);
        // The latest start at or before t is the running max of the start indices.
        var runStart = cummax(where(starts, index, zeros_like(index)), 1).values;
        return (index - runStart).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace AlignSharp.Data;

/// <summary>
/// Packed rows as tensors: <see cref="Sequences"/> is an ordinary right-padded <see cref="SequenceBatch"/> whose loss
/// mask is false on every document's first token (in a packed row that token would be predicted from the previous
/// document), and <see cref="DocumentIds"/> [batch, time] int64 gives each token's document within its row
/// (0, 1, ...; padding −1), which the model turns into block-diagonal attention and per-document positions.
/// </summary>
public sealed class PackedBatch : IDisposable
{
    /// <summary>Document id written into padding: a run of its own, attended to by no real token.</summary>
    public const long PaddingDocument = -1;

    PackedBatch(SequenceBatch sequences, Tensor documentIds)
    {
        Sequences = sequences;
        DocumentIds = documentIds;
    }

    public SequenceBatch Sequences { get; }

    public Tensor DocumentIds { get; }

    /// <summary>Right-pads the rows to the longest (on the CPU).</summary>
    public static PackedBatch Collate(IReadOnlyList<PackedRow> rows, int paddingId)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("cannot collate an empty batch", nameof(rows));
        int batch = rows.Count;
        int time = Math.Max(1, rows.Max(r => r.Length));
        var ids = new long[batch * time];
        var attention = new long[batch * time];
        var loss = new bool[batch * time];
        var labels = new long[batch * time];
        var documents = new long[batch * time];
        Array.Fill(ids, paddingId);
        Array.Fill(labels, SequenceBatch.IgnoreIndex);
        Array.Fill(documents, PaddingDocument);
        for (int b = 0; b < batch; b++)
        {
            int at = b * time;
            for (int d = 0; d < rows[b].Documents.Count; d++)
            {
                TokenizedSequence document = rows[b].Documents[d];
                for (int t = 0; t < document.Length; t++, at++)
                {
                    ids[at] = document.InputIds[t];
                    attention[at] = 1;
                    documents[at] = d;
                    loss[at] = t > 0 && document.LossMask[t];
                    if (loss[at]) labels[at] = document.InputIds[t];
                }
            }
        }
        long[] shape = [batch, time];
        var sequences = new SequenceBatch(
            tensor(ids, shape, int64), tensor(attention, shape, int64), tensor(loss, shape, @bool), tensor(labels, shape, int64),
            rows.Select(r => r.Length).ToArray(), new int[batch]); // a packed row has no single prompt
        return new PackedBatch(sequences, tensor(documents, shape, int64));
    }

    public void Dispose()
    {
        Sequences.Dispose();
        DocumentIds.Dispose();
    }
}

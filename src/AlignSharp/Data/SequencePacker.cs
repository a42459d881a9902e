namespace AlignSharp.Data;

/// <summary>
/// Packs documents into rows of at most max_length tokens by first-fit decreasing: documents in order of
/// decreasing length (ties keep their input order), each into the first row it fits, else a new row.
/// Deterministic: the same input gives the same rows. Documents are never cut or split: truncation to
/// max_length belongs to data preparation, so a longer document is an error naming its row.
/// </summary>
public static class SequencePacker
{
    /// <param name="documents">The sequences to pack.</param>
    /// <param name="maxLength">Row capacity in tokens.</param>
    /// <param name="sources">Where each document came from (for error messages); optional.</param>
    public static PackingResult Pack(IReadOnlyList<TokenizedSequence> documents, int maxLength, IReadOnlyList<RowSource>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "max_length must be positive to pack");
        if (sources is not null && sources.Count != documents.Count)
            throw new ArgumentException($"{sources.Count} sources for {documents.Count} documents", nameof(sources));
        for (int i = 0; i < documents.Count; i++)
            if (documents[i].Length > maxLength)
                throw new ArgumentException(
                    $"{(sources is null ? $"document {i}" : sources[i].ToString())}: {documents[i].Length} tokens do not fit a packed row of max_length {maxLength}; " +
                    "truncate it (max_length in data preparation) or raise max_length", nameof(documents));

        // OrderBy is a stable sort, so equal lengths keep their input order.
        var order = Enumerable.Range(0, documents.Count).OrderByDescending(i => documents[i].Length);
        var rows = new List<List<int>>();
        var free = new List<int>();
        foreach (int i in order)
        {
            int length = documents[i].Length;
            int row = free.FindIndex(f => f >= length);
            if (row < 0)
            {
                rows.Add([]);
                free.Add(maxLength);
                row = rows.Count - 1;
            }
            rows[row].Add(i);
            free[row] -= length;
        }
        var packed = rows.Select(r => new PackedRow(r.Select(i => documents[i]).ToArray(), r.ToArray())).ToArray();
        return new PackingResult(packed, maxLength, documents.Count);
    }
}

namespace AlignSharp.Scoring;

/// <summary>
/// Prompt+completion rows laid out right-padded (real tokens start at position 0 in every row, so
/// position ids are simply 0..T-1), plus where each completion token is predicted from. Built on
/// the host from token positions, never by re-tokenising text (DESIGN.md pitfalls 3 and 6).
/// </summary>
internal sealed class RightPaddedBatch
{
    /// <summary>Token ids [Rows × Time], padding filled with <see cref="PaddingId"/>.</summary>
    public required long[] InputIds { get; init; }
    /// <summary>1 for real tokens, 0 for padding [Rows × Time].</summary>
    public required long[] AttentionMask { get; init; }
    public required int Rows { get; init; }
    public required int Time { get; init; }
    /// <summary>Longest completion: the width of the per-token output [Rows × CompletionWidth].</summary>
    public required int CompletionWidth { get; init; }
    /// <summary>For each scored token, its predicting position in the flattened [Rows × Time] hidden states.</summary>
    public required long[] PredictingPositions { get; init; }
    /// <summary>For each scored token, its id (the gather target).</summary>
    public required long[] TargetIds { get; init; }
    /// <summary>For each scored token, its place in the flattened [Rows × CompletionWidth] output.</summary>
    public required long[] OutputPositions { get; init; }
    public required int[] CompletionLengths { get; init; }

    /// <summary>Never attended to or scored, so any valid id works.</summary>
    public const long PaddingId = 0;

    /// <summary>Lays out <paramref name="rows"/>; every id must be in [0, <paramref name="vocabSize"/>).</summary>
    public static RightPaddedBatch Build(IReadOnlyList<ScoringRow> rows, long vocabSize)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows to score", nameof(rows));
        int time = 0, completionWidth = 0, scored = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw new ArgumentException($"row {r} is null", nameof(rows));
            if (row.PromptIds.Count == 0)
                throw new ArgumentException($"row {r}: the prompt is empty; it needs at least one token (e.g. BOS) to predict the first completion token from", nameof(rows));
            CheckIds(row.PromptIds, r, "prompt", vocabSize);
            CheckIds(row.CompletionIds, r, "completion", vocabSize);
            time = Math.Max(time, row.PromptIds.Count + row.CompletionIds.Count);
            completionWidth = Math.Max(completionWidth, row.CompletionIds.Count);
            scored += row.CompletionIds.Count;
        }

        var inputIds = new long[rows.Count * time];
        var mask = new long[rows.Count * time];
        var predicting = new long[scored];
        var targets = new long[scored];
        var outputs = new long[scored];
        var lengths = new int[rows.Count];
        Array.Fill(inputIds, PaddingId);
        int k = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var (prompt, completion) = (rows[r].PromptIds, rows[r].CompletionIds);
            int start = r * time;
            for (int t = 0; t < prompt.Count; t++) { inputIds[start + t] = prompt[t]; mask[start + t] = 1; }
            for (int j = 0; j < completion.Count; j++)
            {
                int t = prompt.Count + j;
                inputIds[start + t] = completion[j];
                mask[start + t] = 1;
                predicting[k] = start + t - 1;
                targets[k] = completion[j];
                outputs[k] = (long)r * completionWidth + j;
                k++;
            }
            lengths[r] = completion.Count;
        }
        return new RightPaddedBatch
        {
            InputIds = inputIds, AttentionMask = mask, Rows = rows.Count, Time = time,
            CompletionWidth = completionWidth, PredictingPositions = predicting, TargetIds = targets,
            OutputPositions = outputs, CompletionLengths = lengths,
        };
    }

    static void CheckIds(IReadOnlyList<int> ids, int row, string part, long vocabSize)
    {
        for (int t = 0; t < ids.Count; t++)
            if (ids[t] < 0 || ids[t] >= vocabSize)
                throw new ArgumentException($"row {row}: {part} token {t} has id {ids[t]}, outside the model's vocabulary [0, {vocabSize})", "rows");
    }
}

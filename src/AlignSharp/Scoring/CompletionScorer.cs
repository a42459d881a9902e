using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>
/// Log-probabilities of completions given prompts under a causal LM: the primitive every training
/// objective and scorer uses. The batch is right-padded internally (padding side is never a setting);
/// prompt and padding positions never count, and sums are over completion tokens only.
/// </summary>
public sealed class CompletionScorer
{
    readonly ICausalLM _model;
    readonly ScoringOptions _options;
    readonly Device _device;

    public CompletionScorer(ICausalLM model, ScoringOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new ScoringOptions();
        _options.Validate();
        _device = ModelDevice.Of(model);
    }

    public ScoringOptions Options => _options;

    /// <summary>
    /// Differentiable log-probabilities of one batch (for training). The result's tensors join the
    /// caller's dispose scope, if any; intermediate tensors are freed before returning.
    /// </summary>
    public CompletionLogProbs LogProbs(IReadOnlyList<ScoringRow> rows)
    {
        var batch = RightPaddedBatch.Build(rows, _model.VocabSize);
        using var scope = NewDisposeScope();
        Tensor inputIds = tensor(batch.InputIds, new long[] { batch.Rows, batch.Time }, device: _device);
        Tensor attentionMask = tensor(batch.AttentionMask, new long[] { batch.Rows, batch.Time }, device: _device);
        Tensor hidden = _model.Hidden(inputIds, attentionMask);
        long hiddenSize = hidden.shape[^1];

        // Only positions that predict a completion token are projected to the vocabulary.
        Tensor predicting = tensor(batch.PredictingPositions, device: _device);
        Tensor selected = hidden.reshape(batch.Rows * (long)batch.Time, hiddenSize).index_select(0, predicting);
        Tensor targets = tensor(batch.TargetIds, device: _device);
        Tensor scoredLogProbs = ChunkedLogProbs.Gather(_model, selected, targets, _options.ChunkPositions, _options.KeptLogitsBudgetBytes);

        long width = batch.CompletionWidth;
        Tensor outputPositions = tensor(batch.OutputPositions, device: _device);
        Tensor tokenLogProbs = zeros(batch.Rows * width, dtype: ScalarType.Float32, device: _device)
            .scatter(0, outputPositions, scoredLogProbs)
            .reshape(batch.Rows, width);
        Tensor completionMask = zeros(batch.Rows * width, dtype: ScalarType.Float32, device: _device)
            .index_fill(0, outputPositions, 1.0f)
            .reshape(batch.Rows, width);
        Tensor sum = tokenLogProbs.sum(1);
        Tensor tokenCount = tensor(batch.CompletionLengths.Select(n => (long)n).ToArray(), device: _device);

        return new CompletionLogProbs(
            tokenLogProbs.MoveToOuterDisposeScope(),
            completionMask.MoveToOuterDisposeScope(),
            sum.MoveToOuterDisposeScope(),
            tokenCount.MoveToOuterDisposeScope());
    }

    /// <summary>Scores one batch without gradients and returns host arrays, in input order.</summary>
    public IReadOnlyList<RowScore> Score(IReadOnlyList<ScoringRow> rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var result = LogProbs(rows);
        // TorchSharp cannot copy out an empty tensor (every completion empty).
        float[] flat = result.TokenLogProbs.numel() == 0 ? Array.Empty<float>() : result.TokenLogProbs.cpu().data<float>().ToArray();
        int width = (int)result.TokenLogProbs.shape[1];
        var scores = new RowScore[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            int count = rows[r].CompletionIds.Count;
            var tokens = new float[count];
            Array.Copy(flat, r * width, tokens, 0, count);
            double sum = 0;
            foreach (float value in tokens) sum += value;
            scores[r] = new RowScore(tokens, sum, count);
        }
        return scores;
    }

    /// <summary>
    /// Scores many rows without gradients: rows are sorted by length into batches (bounded by
    /// <see cref="ScoringOptions.MaxBatchRows"/> and <see cref="ScoringOptions.MaxBatchTokens"/>) to
    /// limit padding; results come back in input order. <paramref name="progress"/> is called after each batch.
    /// </summary>
    public IReadOnlyList<RowScore> ScoreMany(IReadOnlyList<ScoringRow> rows, Action<ScoringProgress>? progress = null)
    {
        var results = new RowScore[rows.Count];
        var batches = PlanBatches(rows);
        int done = 0;
        for (int b = 0; b < batches.Count; b++)
        {
            int[] indices = batches[b];
            var scores = Score(indices.Select(i => rows[i]).ToArray());
            for (int k = 0; k < indices.Length; k++) results[indices[k]] = scores[k];
            done += indices.Length;
            progress?.Invoke(new ScoringProgress(done, rows.Count, b + 1, batches.Count));
        }
        return results;
    }

    /// <summary>Longest rows first, so the first batch shows the peak memory straight away.</summary>
    internal List<int[]> PlanBatches(IReadOnlyList<ScoringRow> rows)
    {
        int LengthOf(int i) => rows[i].PromptIds.Count + rows[i].CompletionIds.Count;
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(LengthOf).ThenBy(i => i).ToArray();
        var batches = new List<int[]>();
        var current = new List<int>();
        int longest = 0;
        foreach (int i in order)
        {
            int length = LengthOf(i);
            int widened = Math.Max(longest, length);
            bool full = current.Count >= _options.MaxBatchRows || (long)widened * (current.Count + 1) > _options.MaxBatchTokens;
            if (current.Count > 0 && full)
            {
                batches.Add(current.ToArray());
                current.Clear();
                widened = length;
            }
            current.Add(i);
            longest = widened;
        }
        if (current.Count > 0) batches.Add(current.ToArray());
        return batches;
    }
}

using AlignSharp.Data;
using AlignSharp.Text;

namespace AlignSharp.Recipes;

/// <summary>
/// A validated dataset and the batch it will be trained with: what a recipe knows before step 1, and all a
/// dry run prints (DESIGN.md pitfalls 3, 7, 8).
/// </summary>
public sealed record RecipePlan(PreparedDataset Data, EffectiveBatchSummary Batch, ITokenizer Tokenizer)
{
    /// <summary>The held-out set (eval_steps), validated like the training data; null when none was given.</summary>
    public PreparedDataset? EvalData { get; init; }

    /// <summary>The data report (layout, counts, truncation, skipped rows), the eval set's, and the effective batch.</summary>
    public IReadOnlyList<string> LogLines() =>
        [.. Data.LogLines(), .. EvalData?.LogLines().Select(line => "eval " + line) ?? [], Batch.ToString()];

    /// <summary>The first <paramref name="count"/> rows as the model sees them (trained tokens marked).</summary>
    public IReadOnlyList<string> DescribeExamples(int count) =>
        Data.Rows.Take(count).Select(row => ExampleRenderer.Describe(row, Tokenizer)).ToArray();
}

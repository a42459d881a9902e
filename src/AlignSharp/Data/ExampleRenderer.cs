using System.Text;
using AlignSharp.Text;

namespace AlignSharp.Data;

/// <summary>
/// Shows what the model actually sees (DESIGN.md pitfall 3): the decoded sequence, special tokens
/// included, with the tokens that count in the loss between <see cref="LossStart"/> and <see cref="LossEnd"/>.
/// Each run of tokens is decoded on its own, so a character split across a run boundary may show as U+FFFD.
/// </summary>
public static class ExampleRenderer
{
    public const string LossStart = "⟦";
    public const string LossEnd = "⟧";

    public static string Describe(TokenizedSequence sequence, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var text = new StringBuilder();
        text.Append($"{sequence.Length} tokens: prompt {sequence.PromptLength}, completion {sequence.CompletionLength}, in the loss {sequence.LossTokenCount}");
        if (sequence.PromptTokensTruncated > 0) text.Append($"; {sequence.PromptTokensTruncated} prompt tokens cut from the left");
        if (sequence.CompletionTokensTruncated > 0) text.Append($"; {sequence.CompletionTokensTruncated} completion tokens cut from the right");
        text.Append($" (trained tokens between {LossStart} and {LossEnd})\n");
        int start = 0;
        while (start < sequence.Length)
        {
            bool inLoss = sequence.LossMask[start];
            int end = start;
            while (end < sequence.Length && sequence.LossMask[end] == inLoss) end++;
            string piece = tokenizer.Decode(sequence.InputIds.Skip(start).Take(end - start), skipSpecialTokens: false);
            text.Append(inLoss ? LossStart + piece + LossEnd : piece);
            start = end;
        }
        return text.ToString();
    }

    /// <summary>Every sequence of <paramref name="row"/>, headed by where it came from.</summary>
    public static string Describe(TokenizedRow row, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row switch
        {
            TokenizedPair pair => $"{row.Source} chosen: {Describe(pair.Chosen, tokenizer)}\n{row.Source} rejected: {Describe(pair.Rejected, tokenizer)}",
            TokenizedExample { Reward: { } reward } example => $"{row.Source} (reward {reward}): {Describe(example.Sequence, tokenizer)}",
            _ => $"{row.Source}: {Describe(row.Sequences[0], tokenizer)}",
        };
    }
}

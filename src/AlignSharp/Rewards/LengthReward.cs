using System.Text;

namespace AlignSharp.Rewards;

/// <summary>
/// Minus the length of the completion (the prompt is ignored): shorter is better. A generic programmatic
/// reward, mostly useful as a second objective (MODPO) or a penalty term in a <see cref="WeightedReward"/>.
/// Scores are ≤ 0; an empty completion scores 0.
/// </summary>
public sealed class LengthReward : IRewardFunction
{
    public LengthReward(LengthUnit unit = LengthUnit.Characters)
    {
        if (!Enum.IsDefined(unit)) throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown length unit");
        Unit = unit;
    }

    public LengthUnit Unit { get; }

    public string Name => Unit == LengthUnit.Characters ? "negative_length_characters" : "negative_length_words";

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new double[batch.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = -Length(batch[i].Completion);
        return scores;
    }

    /// <summary>The length of <paramref name="text"/> in this reward's unit.</summary>
    public int Length(string text) => Unit == LengthUnit.Characters ? CountScalars(text) : CountWords(text);

    static int CountScalars(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes()) count++; // lone surrogates enumerate as one replacement rune each
        return count;
    }

    static int CountWords(string text)
    {
        int count = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord) count++;
            inWord = !isSpace;
        }
        return count;
    }
}

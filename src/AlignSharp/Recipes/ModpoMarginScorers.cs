using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Recipes;

/// <summary>
/// The margin-scorer specs of a MODPO recipe (YAML <c>margin_scorers</c>, separated by ';'):
/// <c>length_tokens</c> (−completion tokens), <c>length_characters</c>, <c>length_words</c>,
/// <c>task:NAME</c> (a built-in task's exact reward), <c>reward_model:FOLDER</c>,
/// <c>implicit_dpo:DPO_FOLDER@REFERENCE_FOLDER</c> (β·log π_dpo/π_ref with the margin β).
/// </summary>
public static class ModpoMarginScorers
{
    public static IReadOnlyList<string> KnownForms { get; } =
        ["length_tokens", "length_characters", "length_words", "task:NAME", "reward_model:FOLDER", "implicit_dpo:DPO_FOLDER@REFERENCE_FOLDER"];

    /// <summary>Splits a ';'-separated list; blanks are an error rather than silently dropped.</summary>
    public static IReadOnlyList<string> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        string[] specs = text.Split(';').Select(s => s.Trim()).ToArray();
        if (specs.Any(s => s.Length == 0))
            throw new ArgumentException($"margin_scorers '{text}' has an empty entry; separate scorers with ';'");
        return specs;
    }

    /// <summary>Creates the scorer of <paramref name="spec"/>; the caller disposes it.</summary>
    public static IMarginScorer Create(string spec, double marginBeta)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec : spec[..colon];
        string argument = colon < 0 ? "" : spec[(colon + 1)..];
        return kind switch
        {
            "length_tokens" when argument.Length == 0 => new TokenLengthMarginScorer(),
            "length_characters" when argument.Length == 0 => new RewardMarginScorer(new LengthReward(LengthUnit.Characters)),
            "length_words" when argument.Length == 0 => new RewardMarginScorer(new LengthReward(LengthUnit.Words)),
            "task" when argument.Length > 0 => new RewardMarginScorer(BuiltInTasks.ByName(argument).TrueReward),
            "reward_model" when argument.Length > 0 => new RewardMarginScorer(new ModelReward(argument)),
            "implicit_dpo" when argument.Split('@') is [{ Length: > 0 } dpo, { Length: > 0 } reference] => new ImplicitDpoReward(dpo, reference, marginBeta),
            _ => throw new ArgumentException($"unknown margin scorer '{spec}'; known forms: {string.Join(", ", KnownForms)}", nameof(spec)),
        };
    }
}

using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// A task whose reward is known exactly, with data generated deterministically from a seed (no downloads):
/// SFT demonstrations with a controllable share of low-quality ones, preference pairs ranked by the true
/// reward, prompts for sampling from a train or held-out split, and an evaluation of completions.
/// </summary>
/// <remarks>
/// The same arguments give the same data on every machine and .NET version. Prompts of the two splits never
/// coincide; demonstrations and preference pairs always use training prompts. Prompts are drawn with
/// replacement, so a large count can repeat a prompt.
/// </remarks>
public interface IBuiltInTask
{
    /// <summary>The registry name (see <see cref="BuiltInTasks.ByName"/>).</summary>
    string Name { get; }

    /// <summary>One line for users: what the prompts look like and what the reward measures.</summary>
    string Description { get; }

    /// <summary>The exact reward of (prompt, completion) for this task.</summary>
    IRewardFunction TrueReward { get; }

    /// <summary>Whether a completion with this true reward counts as a success (the evaluation's accuracy).</summary>
    bool IsSuccess(double reward);

    /// <summary>
    /// <paramref name="count"/> demonstrations on training prompts; round(count · <paramref name="lowQualityShare"/>)
    /// of them (exactly, at random positions) are low-quality. The prompts depend only on the seed, so changing the
    /// share changes which completions are bad, not the prompts.
    /// </summary>
    IReadOnlyList<SftExample> SftDemonstrations(int count, double lowQualityShare, int seed);

    /// <summary><paramref name="count"/> pairs on training prompts; the chosen completion's true reward is strictly higher.</summary>
    IReadOnlyList<PreferencePair> PreferencePairs(int count, int seed);

    /// <summary><paramref name="count"/> prompts from <paramref name="split"/>, for sampling or evaluation.</summary>
    IReadOnlyList<string> Prompts(int count, Split split, int seed);

    /// <summary>Mean true reward, accuracy and count of the given completions (KL is left for the training code).</summary>
    TaskEvaluation Evaluate(IReadOnlyList<RewardInput> samples);
}

using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// How well a set of completions does on a task: the mean true reward, the share counted as a success by
/// <see cref="IBuiltInTask.IsSuccess"/> (accuracy), and how many were scored. The KL to a reference needs the
/// policy and reference models, so the training code fills <see cref="KlToReference"/> in
/// (<c>evaluation with { KlToReference = kl }</c>); null means it was not measured.
/// </summary>
public sealed record TaskEvaluation(string TaskName, int Count, double MeanReward, double Accuracy, double? KlToReference = null)
{
    /// <summary>Scores <paramref name="samples"/> with the task's true reward and summarises them.</summary>
    public static TaskEvaluation Compute(IBuiltInTask task, IReadOnlyList<RewardInput> samples)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException($"nothing to evaluate: no completions were given for task \"{task.Name}\"", nameof(samples));
        IReadOnlyList<double> rewards = task.TrueReward.ScoreChecked(samples);
        return new TaskEvaluation(task.Name, rewards.Count, rewards.Average(), rewards.Count(task.IsSuccess) / (double)rewards.Count);
    }
}

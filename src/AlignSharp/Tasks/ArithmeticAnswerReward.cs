using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// The true reward of <see cref="ArithmeticTask"/>: 1 when the completion's answer (see <see cref="ArithmeticAnswer"/>
/// for the parsing rule) equals the problem's answer, else 0. The answer is recomputed from the prompt, so the
/// prompt must be one the task wrote; any other prompt is an error rather than a silent 0.
/// </summary>
public sealed class ArithmeticAnswerReward : IRewardFunction
{
    public string Name => "arithmetic_correct";

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new double[batch.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            if (!ArithmeticProblem.TryParse(batch[i].Prompt, out ArithmeticProblem problem))
                throw new ArgumentException($"batch element {i}: not an arithmetic task prompt: \"{batch[i].Prompt}\"", nameof(batch));
            scores[i] = ArithmeticAnswer.IsCorrect(batch[i].Completion, problem.Answer) ? 1 : 0;
        }
        return scores;
    }
}

using System.Globalization;
using AlignSharp.Rollouts;

namespace AlignSharp.Recipes.Online;

/// <summary>
/// Warnings, not silence, for generations that cannot teach anything: groups whose completions all got the same reward
/// (advantage 0 everywhere: the "loss is 0" steps, trl#3857) for several generations in a row, and generations whose
/// every completion was truncated (max_completion_length too small for the task).
/// </summary>
public sealed class RolloutWarnings(int zeroStdGenerations, Action<string> warn)
{
    int _zeroStdStreak;

    public void Check(RolloutGeneration generation)
    {
        var m = generation.Metrics;
        if (m.TryGetValue("frac_reward_zero_std", out double zeroStd) && zeroStd > 0.9)
        {
            _zeroStdStreak++;
            if (_zeroStdStreak == zeroStdGenerations)
                warn(string.Create(CultureInfo.InvariantCulture,
                    $"warning: {zeroStdGenerations} generations in a row (up to step {generation.FirstStep}) had frac_reward_zero_std > 0.9: the completions of almost every prompt got the same reward, so their advantages are 0 and those steps learn nothing. Raise num_generations or temperature, or use a reward that separates completions."));
        }
        else _zeroStdStreak = 0;
        if (m.TryGetValue("completions/clipped_ratio", out double clipped) && clipped >= 1.0)
            warn($"warning: every completion of the generation at step {generation.FirstStep} reached max_completion_length without a stop token; raise max_completion_length (or check the stop tokens), or mask_truncated_completions leaves nothing to train on");
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// The metrics TRL logs for an implicit-reward preference loss (DPO and its relatives), under TRL's names:
/// loss, rewards/chosen, rewards/rejected, rewards/margins, rewards/accuracies (ties count as wrong), logps/*.
/// </summary>
internal static class PreferenceMetrics
{
    /// <summary>Computed without gradient from detached copies; the caller may add its own entries.</summary>
    public static Dictionary<string, double> Of(Tensor loss, Tensor chosenRewards, Tensor rejectedRewards,
        Tensor policyChosenLogps, Tensor policyRejectedLogps, ScalarType dtype)
    {
        using var noGrad = torch.no_grad();
        var chosen = chosenRewards.detach();
        var rejected = rejectedRewards.detach();
        return new Dictionary<string, double>
        {
            [MetricNames.Loss] = loss.ToDouble(),
            [MetricNames.RewardsChosen] = chosen.mean().ToDouble(),
            [MetricNames.RewardsRejected] = rejected.mean().ToDouble(),
            [MetricNames.RewardsMargins] = (chosen - rejected).mean().ToDouble(),
            [MetricNames.RewardsAccuracies] = chosen.gt(rejected).to_type(dtype).mean().ToDouble(),
            [MetricNames.LogpsChosen] = policyChosenLogps.detach().mean().ToDouble(),
            [MetricNames.LogpsRejected] = policyRejectedLogps.detach().mean().ToDouble(),
        };
    }
}

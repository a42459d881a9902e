namespace AlignSharp.Objectives;

/// <summary>Metric keys, spelled as TRL logs them so dashboards and habits carry over.</summary>
public static class MetricNames
{
    public const string Loss = "loss";

    // Preference objectives (DPO family and reward models).
    public const string RewardsChosen = "rewards/chosen";
    public const string RewardsRejected = "rewards/rejected";
    public const string RewardsMargins = "rewards/margins";
    public const string RewardsAccuracies = "rewards/accuracies";
    public const string LogpsChosen = "logps/chosen";
    public const string LogpsRejected = "logps/rejected";

    /// <summary>Reward-model pairwise accuracy (TRL's RewardTrainer calls it <c>accuracy</c>).</summary>
    public const string Accuracy = "accuracy";

    // SFT.
    /// <summary>Completion tokens in this batch (the default TokenMean denominator).</summary>
    public const string CompletionTokens = "completion_tokens";

    /// <summary>This batch's NLL per completion token, whatever the normalisation (comparable across runs).</summary>
    public const string NllPerToken = "nll_per_token";
}

namespace AlignSharp.Objectives;

/// <summary>Metric keys MODPO logs besides TRL's DPO names (TRL has no MODPO trainer to copy from).</summary>
public static class ModpoMetricNames
{
    /// <summary>Mean weighted margin reward Σ_j w_j r_j of the chosen responses.</summary>
    public const string MarginRewardsChosen = "margin_rewards/chosen";

    /// <summary>Mean weighted margin reward Σ_j w_j r_j of the rejected responses.</summary>
    public const string MarginRewardsRejected = "margin_rewards/rejected";

    /// <summary>Mean R(y_w) − R(y_l): the logits the sigmoid or hinge acts on.</summary>
    public const string Logits = "modpo/logits";
}

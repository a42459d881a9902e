using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// Bradley–Terry reward-model loss (algorithms.md §9): per pair −log σ(r_w − r_l − m), mean over
/// pairs, where m is an optional per-pair margin (Llama-2 style: the chosen reward must win by m).
/// Rewards are the scalar scores of the chosen and rejected sequences, e.g. a value head at the
/// last non-pad token.
/// </summary>
public sealed class BradleyTerryLoss
{
    private const string Name = "Bradley-Terry";

    public BradleyTerryLoss(BradleyTerryOptions? options = null)
    {
        Options = options ?? new BradleyTerryOptions();
        if (Options.CenterRewardsCoefficient is { } c && !(c >= 0 && double.IsFinite(c)))
            throw new ArgumentOutOfRangeException(nameof(options), c, $"{Name}: center_rewards_coefficient must be a finite number >= 0");
    }

    public BradleyTerryOptions Options { get; }

    /// <summary>
    /// <paramref name="chosenRewards"/>, <paramref name="rejectedRewards"/>: [batch] or [batch, 1].
    /// <paramref name="margins"/>: optional [batch] margin per pair (no gradient flows into it).
    /// <paramref name="pairNormaliser"/>: the denominator of the mean; defaults to this batch's pair
    /// count (pass the accumulated batch's pair count under gradient accumulation).
    /// Metrics: <c>loss</c>, <c>accuracy</c> (fraction with r_w &gt; r_l strictly: ties count as wrong),
    /// <c>rewards/chosen</c>, <c>rewards/rejected</c>, <c>rewards/margins</c> (means of r_w, r_l, r_w − r_l).
    /// </summary>
    public ObjectiveOutput Compute(Tensor chosenRewards, Tensor rejectedRewards, Tensor? margins = null, double? pairNormaliser = null)
    {
        ArgumentNullException.ThrowIfNull(chosenRewards);
        ArgumentNullException.ThrowIfNull(rejectedRewards);
        ObjectiveTensors.RequireFloating(chosenRewards, Name, nameof(chosenRewards));
        ObjectiveTensors.RequireFloating(rejectedRewards, Name, nameof(rejectedRewards));

        using var scope = torch.NewDisposeScope();
        var dtype = ObjectiveTensors.LossPrecision(chosenRewards, rejectedRewards, margins);
        var chosen = ObjectiveTensors.PerPairVector(chosenRewards, Name, nameof(chosenRewards)).to_type(dtype);
        var rejected = ObjectiveTensors.PerPairVector(rejectedRewards, Name, nameof(rejectedRewards)).to_type(dtype);
        ObjectiveTensors.RequireSameLength(Name, (chosen, nameof(chosenRewards)), (rejected, nameof(rejectedRewards)));

        var difference = chosen - rejected;
        if (margins is not null)
        {
            ObjectiveTensors.RequireFloating(margins, Name, nameof(margins));
            var margin = ObjectiveTensors.PerPairVector(margins, Name, nameof(margins)).to_type(dtype).detach();
            ObjectiveTensors.RequireSameLength(Name, (chosen, nameof(chosenRewards)), (margin, nameof(margins)));
            difference = difference - margin;
        }

        var perPair = torch.nn.functional.logsigmoid(difference).neg();
        if (Options.CenterRewardsCoefficient is { } coefficient && coefficient > 0)
            perPair = perPair + (chosen + rejected).square().mul(coefficient);

        long pairs = chosen.shape[0];
        double denominator = pairNormaliser is { } given
            ? ObjectiveTensors.RequirePositiveNormaliser(given, Name, nameof(pairNormaliser))
            : pairs;
        var loss = perPair.sum().div(denominator);

        Dictionary<string, double> metrics;
        using (torch.no_grad())
        {
            metrics = new Dictionary<string, double>
            {
                [MetricNames.Loss] = loss.ToDouble(),
                [MetricNames.Accuracy] = chosen.gt(rejected).to_type(dtype).mean().ToDouble(),
                [MetricNames.RewardsChosen] = chosen.mean().ToDouble(),
                [MetricNames.RewardsRejected] = rejected.mean().ToDouble(),
                [MetricNames.RewardsMargins] = (chosen - rejected).mean().ToDouble(),
            };
        }
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }
}

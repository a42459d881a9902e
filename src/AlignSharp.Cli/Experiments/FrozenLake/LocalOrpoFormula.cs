using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// LOCAL STAND-IN, to be replaced by Objectives/OrpoLoss when branch 'ift' lands: ORPO (Hong et al., 2024)
/// as TRL computes it, with per-token mean log-probs l = mean_t log π(y_t):
/// log odds(y) = l − log(1 − e^l); L = −l_w − β·log σ(log odds(y_w) − log odds(y_l)).
/// Inputs are [B, T] per-step log-probs with every position counted.
/// </summary>
public static class LocalOrpoFormula
{
    public static Tensor Loss(Tensor chosenTokenLogps, Tensor rejectedTokenLogps, double beta)
    {
        using var scope = NewDisposeScope();
        var chosen = chosenTokenLogps.mean([1]);
        var rejected = rejectedTokenLogps.mean([1]);
        var logOdds = chosen - rejected - (log1p(chosen.exp().neg()) - log1p(rejected.exp().neg()));
        var loss = chosen.neg() - nn.functional.logsigmoid(logOdds) * beta;
        return loss.mean().MoveToOuterDisposeScope();
    }
}

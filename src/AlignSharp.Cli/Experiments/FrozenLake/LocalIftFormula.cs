using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// LOCAL STAND-IN, to be replaced by Objectives/IftLoss when branch 'ift' lands: IFT's weighted NLL as
/// the official code computes it (algorithms.md §1(a) steps 5–6): c_t = −ℓ_t/|M|,
/// W_t = Σ_(j≥t) γ^(j−t) c_j, w_t = W_t·|M|/Σ W, L = mean over sequences of (1/|M|) Σ w_t (−ℓ_t).
/// The weights are not detached (pitfall 1: the released code lets gradient flow through them).
/// Every position of the [B, T] input counts (a trajectory has no prompt or padding here).
/// </summary>
public static class LocalIftFormula
{
    public static Tensor Loss(Tensor tokenLogps, double gamma)
    {
        using var scope = NewDisposeScope();
        long time = tokenLogps.shape[1];
        var c = tokenLogps.neg() / time;
        var columns = new Tensor[time];
        Tensor? running = null;
        for (long t = time - 1; t >= 0; t--)
        {
            var ct = c[.., (int)t];
            running = running is null ? ct : ct + running * gamma;
            columns[t] = running;
        }
        var w = stack(columns, 1);
        w = w * time / w.sum(1, keepdim: true);
        return (w * tokenLogps.neg()).sum(1).div(time).mean().MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Training;

/// <summary>
/// TorchSharp's AdamW with the same state, options and checkpoint format, and a step that makes fewer passes
/// over memory. The update is memory-bound (33.7M parameters at the bench's reference size: each pass reads and
/// writes hundreds of MB), so passes are its cost. Per parameter, TorchSharp (as PyTorch 1.13) makes eight:
/// decay, two for the first moment, two for the second, sqrt, divide, add ε, then the update. This makes five
/// (six with weight decay), each temporary freed as soon as it is used:
/// <list type="bullet">
/// <item>decay only when weight_decay ≠ 0 (the multiplication by 1 is a full pass);</item>
/// <item>m ← lerp(m, g, 1−β₁) = β₁m + (1−β₁)g in one pass (as PyTorch 2's Adam);</item>
/// <item>the bias corrections folded into scalars: lr/c₁ · m / (√v/√c₂ + ε) = (lr·√c₂/c₁) · m / (√v + ε√c₂),
/// so the denominator is √v then one add.</item>
/// </list>
/// The same AdamW in exact arithmetic; float rounding differs from TorchSharp's in the last bits.
/// </summary>
public sealed class LeanAdamW : AdamW
{
    public LeanAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        if (options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("LeanAdamW implements neither amsgrad nor maximize");
        foreach (var parameter in group.Parameters)
        {
            using var grad = parameter.grad;
            if (grad is null) continue;
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            double correction1 = 1 - Math.Pow(beta1, state.step);
            double correction2Root = Math.Sqrt(1 - Math.Pow(beta2, state.step));

            if (weightDecay != 0) parameter.mul_(1 - lr * weightDecay);
            state.exp_avg.lerp_(grad, 1 - beta1);
            state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            using var denominator = state.exp_avg_sq.sqrt();
            denominator.add_(eps * correction2Root);
            parameter.addcdiv_(state.exp_avg, denominator, value: -lr * correction2Root / correction1);
        }
    }, closure);
}

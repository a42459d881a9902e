using System.Text.RegularExpressions;
using AlignSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Training;

/// <summary>
/// The trainable parameters of a model, split as transformers splits them for weight decay: biases and
/// the parameters of normalisation layers get none (decaying a norm's gain towards 0 or a bias towards 0
/// is a bias the model did not ask for); everything else decays.
/// </summary>
public sealed class OptimizerParameters
{
    // transformers' name patterns for norm layers, for modules this library does not know by type.
    static readonly Regex NormName = new(@"(layernorm|rmsnorm|(^|\.)norm($|\.)|_norm($|\.)|(^|\.)ln_)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    OptimizerParameters(IReadOnlyList<(string Name, Parameter Parameter)> decay, IReadOnlyList<(string Name, Parameter Parameter)> noDecay)
    {
        Decay = decay;
        NoDecay = noDecay;
    }

    /// <summary>Parameters that get weight decay, in the model's order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Decay { get; }

    /// <summary>Biases and norm parameters, in the model's order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NoDecay { get; }

    /// <summary>All trainable parameters: <see cref="Decay"/> then <see cref="NoDecay"/> (the optimizer's order).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> All => [.. Decay, .. NoDecay];

    /// <summary>Splits the parameters of <paramref name="model"/> that require gradients.</summary>
    public static OptimizerParameters Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var normParameters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (moduleName, module) in model.named_modules())
        {
            if (!IsNorm(module)) continue;
            foreach (var (name, _) in module.named_parameters(recurse: false))
                normParameters.Add(moduleName.Length == 0 ? name : $"{moduleName}.{name}");
        }

        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad) continue;
            bool exempt = normParameters.Contains(name) || name.Contains("bias", StringComparison.OrdinalIgnoreCase) || NormName.IsMatch(name);
            (exempt ? noDecay : decay).Add((name, parameter));
        }
        if (decay.Count + noDecay.Count == 0)
            throw new ArgumentException("the model has no parameter that requires a gradient; there is nothing to train", nameof(model));
        return new OptimizerParameters(decay, noDecay);
    }

    /// <summary>
    /// AdamW (<see cref="LeanAdamW"/>: TorchSharp's, with a step of fewer memory passes) over these parameters: one group with <c>weight_decay</c>, one without
    /// (empty groups are left out, so the group count says which exist).
    /// </summary>
    public AdamW CreateAdamW(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var groups = new List<AdamW.ParamGroup>();
        if (Decay.Count > 0)
            groups.Add(new AdamW.ParamGroup(Decay.Select(p => p.Parameter).ToArray(), options.LearningRate,
                options.AdamBeta1, options.AdamBeta2, options.AdamEpsilon, options.WeightDecay));
        if (NoDecay.Count > 0)
            groups.Add(new AdamW.ParamGroup(NoDecay.Select(p => p.Parameter).ToArray(), options.LearningRate,
                options.AdamBeta1, options.AdamBeta2, options.AdamEpsilon, weight_decay: 0));
        return new LeanAdamW(groups, options.LearningRate, options.AdamBeta1, options.AdamBeta2, options.AdamEpsilon, options.WeightDecay);
    }

    /// <summary>Parameter names per optimizer group, as recorded in a checkpoint to check a resume against.</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroupNames()
    {
        var groups = new List<IReadOnlyList<string>>();
        if (Decay.Count > 0) groups.Add(Decay.Select(p => p.Name).ToArray());
        if (NoDecay.Count > 0) groups.Add(NoDecay.Select(p => p.Name).ToArray());
        return groups;
    }

    static bool IsNorm(nn.Module module) =>
        module is RmsNorm or LayerNormLayer or LayerNorm or GroupNorm;
}

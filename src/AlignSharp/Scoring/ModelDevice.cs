using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>Where a model's inputs must live: the device of its first parameter, else the CPU.</summary>
internal static class ModelDevice
{
    public static Device Of(ICausalLM model)
    {
        if (model is nn.Module module)
        {
            foreach (var parameter in module.parameters())
                return parameter.device;
        }
        return CPU;
    }
}

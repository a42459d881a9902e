using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

static class ModuleParameters
{
    /// <summary>A registered parameter by name (looked up on use because <c>Module.to</c> replaces parameter objects).</summary>
    public static Tensor Parameter(this nn.Module module, string name) =>
        module.get_parameter(name) ?? throw new InvalidOperationException($"{module.GetType().Name} has no parameter \"{name}\"");
}

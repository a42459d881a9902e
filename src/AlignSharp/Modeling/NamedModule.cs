using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Base of every AlignSharp module. Submodules and parameters are registered explicitly under their
/// Hugging Face names; TorchSharp's automatic registration of fields (which would add a second copy
/// named after the C# field, e.g. <c>_attention</c>) is turned off.
/// </summary>
public abstract class NamedModule(string name) : nn.Module(name)
{
    protected override void RegisterComponents() { }

    /// <summary>Registers <paramref name="module"/> as the child <paramref name="name"/> and returns it (for field initialisation).</summary>
    protected T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>The activation functions named by <c>hidden_act</c> / <c>activation_function</c>.</summary>
public static class Activation
{
    public static readonly IReadOnlyList<string> Supported = ["silu", "swish", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu"];

    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "silu" or "swish" => x => nn.functional.silu(x),
        // "gelu" is the exact erf form; the others are the tanh approximation (same formula).
        "gelu" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => x => nn.functional.relu(x),
        _ => throw new NotSupportedException($"Activation \"{name}\" is not supported; supported: {string.Join(", ", Supported)}."),
    };
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// The MLP of a decoder layer: gated down(act(gate(x)) · up(x)) for Llama, Mistral and Qwen2;
/// two layers out(act(in(x))) for GPT-2 (Conv1D <c>c_fc</c>/<c>c_proj</c>) and GPT-NeoX
/// (<c>dense_h_to_4h</c>/<c>dense_4h_to_h</c>).
/// </summary>
public sealed class FeedForward : NamedModule
{
    readonly ArchitectureFamily _family;
    readonly Func<Tensor, Tensor> _activation;

    public FeedForward(ModelConfig config) : base(nameof(FeedForward))
    {
        _family = config.Family;
        _activation = Activation.Get(config.HiddenAct);
        int hidden = config.HiddenSize, inner = config.IntermediateSize;
        switch (_family)
        {
            case ArchitectureFamily.Gpt2:
                register_module("c_fc", new Conv1DLayer(hidden, inner));
                register_module("c_proj", new Conv1DLayer(inner, hidden));
                break;
            case ArchitectureFamily.GptNeoX:
                register_module("dense_h_to_4h", new LinearLayer(hidden, inner, hasBias: true));
                register_module("dense_4h_to_h", new LinearLayer(inner, hidden, hasBias: true));
                break;
            default:
                register_module("gate_proj", new LinearLayer(hidden, inner, config.MlpBias));
                register_module("up_proj", new LinearLayer(hidden, inner, config.MlpBias));
                register_module("down_proj", new LinearLayer(inner, hidden, config.MlpBias));
                break;
        }
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor output = _family switch
        {
            ArchitectureFamily.Gpt2 => Child<Conv1DLayer>("c_proj").Forward(_activation(Child<Conv1DLayer>("c_fc").Forward(x))),
            ArchitectureFamily.GptNeoX => Child<LinearLayer>("dense_4h_to_h").Forward(_activation(Child<LinearLayer>("dense_h_to_4h").Forward(x))),
            _ => Child<LinearLayer>("down_proj").Forward(
                _activation(Child<LinearLayer>("gate_proj").Forward(x)) * Child<LinearLayer>("up_proj").Forward(x)),
        };
        return output.MoveToOuterDisposeScope();
    }

    T Child<T>(string name) where T : nn.Module => (T)named_children().First(c => c.name == name).module;
}

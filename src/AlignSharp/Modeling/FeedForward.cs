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
    readonly Func<Tensor, Tensor> _activation;
    readonly IProjection _input;   // gate_proj, c_fc, dense_h_to_4h
    readonly IProjection? _up;     // up_proj (gated MLPs only)
    readonly IProjection _output;  // down_proj, c_proj, dense_4h_to_h
    readonly LinearLayer[]? _gateUp; // gate_proj and up_proj, run as one matmul in training

    public FeedForward(ModelConfig config) : base(nameof(FeedForward))
    {
        _activation = Activation.Get(config.HiddenAct);
        int hidden = config.HiddenSize, inner = config.IntermediateSize;
        switch (config.Family)
        {
            case ArchitectureFamily.Gpt2:
                _input = Register("c_fc", new Conv1DLayer(hidden, inner));
                _output = Register("c_proj", new Conv1DLayer(inner, hidden));
                break;
            case ArchitectureFamily.GptNeoX:
                _input = Register("dense_h_to_4h", new LinearLayer(hidden, inner, hasBias: true));
                _output = Register("dense_4h_to_h", new LinearLayer(inner, hidden, hasBias: true));
                break;
            default:
                _input = Register("gate_proj", new LinearLayer(hidden, inner, config.MlpBias));
                _up = Register("up_proj", new LinearLayer(hidden, inner, config.MlpBias));
                _output = Register("down_proj", new LinearLayer(inner, hidden, config.MlpBias));
                _gateUp = [(LinearLayer)_input, (LinearLayer)_up];
                break;
        }
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor activated;
        if (_gateUp is { } layers && SharedInputProjections.ShouldFuse(layers))
        {
            var gateUp = SharedInputProjections.Forward(x, layers);
            activated = _activation(gateUp[0]) * gateUp[1];
        }
        else
        {
            activated = _activation(_input.Forward(x));
            if (_up is not null) activated = activated * _up.Forward(x);
        }
        return _output.Forward(activated).MoveToOuterDisposeScope();
    }
}

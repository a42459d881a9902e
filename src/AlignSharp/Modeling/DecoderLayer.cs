using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// One pre-norm transformer block: x + attn(norm₁(x)), then + mlp(norm₂(·)); or, with GPT-NeoX's
/// parallel residual, x + attn(norm₁(x)) + mlp(norm₂(x)).
/// </summary>
public sealed class DecoderLayer : NamedModule
{
    readonly bool _parallelResidual;
    readonly nn.Module _attentionNorm;
    readonly Attention _attention;
    readonly nn.Module _mlpNorm;
    readonly FeedForward _mlp;

    public DecoderLayer(ModelConfig config, ModuleNames names, int layerIndex) : base(nameof(DecoderLayer))
    {
        _parallelResidual = config.ParallelResidual;
        _attentionNorm = Normalization.Create(config);
        _attention = new Attention(config, layerIndex);
        _mlpNorm = Normalization.Create(config);
        _mlp = new FeedForward(config);
        // Registration order = transformers' order, so state dicts list tensors the same way.
        if (config.Family == ArchitectureFamily.GptNeoX)
        {
            register_module(names.AttentionNorm, _attentionNorm);
            register_module(names.MlpNorm, _mlpNorm);
            register_module(names.Attention, _attention);
        }
        else
        {
            register_module(names.AttentionNorm, _attentionNorm);
            register_module(names.Attention, _attention);
            register_module(names.MlpNorm, _mlpNorm);
        }
        register_module(names.Mlp, _mlp);
    }

    public Tensor Forward(Tensor x, RotaryEmbedding? rotary, Tensor? cos, Tensor? sin, Tensor? mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.Forward(Normalization.Apply(_attentionNorm, x), rotary, cos, sin, mask, cache);
        Tensor output;
        if (_parallelResidual)
            output = x + attended + _mlp.Forward(Normalization.Apply(_mlpNorm, x));
        else
        {
            var afterAttention = x + attended;
            output = afterAttention + _mlp.Forward(Normalization.Apply(_mlpNorm, afterAttention));
        }
        return output.MoveToOuterDisposeScope();
    }
}

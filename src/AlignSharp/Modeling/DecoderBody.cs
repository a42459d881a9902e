using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Embeddings, the stack of decoder layers and the final norm: transformers' <c>LlamaModel</c>,
/// <c>GPT2Model</c>, <c>GPTNeoXModel</c> (registered as <c>model</c>, <c>transformer</c>, <c>gpt_neox</c>).
/// </summary>
public sealed class DecoderBody : NamedModule
{
    readonly ModelConfig _config;
    readonly EmbeddingTable _tokenEmbedding;
    readonly EmbeddingTable? _positionEmbedding;
    readonly ModuleList<DecoderLayer> _layers;
    readonly nn.Module _finalNorm;
    readonly RotaryEmbedding? _rotary;

    public DecoderBody(ModelConfig config, ModuleNames names) : base(nameof(DecoderBody))
    {
        _config = config;
        _tokenEmbedding = new EmbeddingTable(config.VocabSize, config.HiddenSize);
        register_module(names.TokenEmbedding, _tokenEmbedding);
        if (names.PositionEmbedding is not null)
        {
            _positionEmbedding = new EmbeddingTable(config.MaxPositionEmbeddings, config.HiddenSize);
            register_module(names.PositionEmbedding, _positionEmbedding);
        }
        else
            _rotary = new RotaryEmbedding(config.HeadDim, config.RotaryFraction, config.RopeTheta, config.RopeScaling);
        _layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, config.LayerCount).Select(i => new DecoderLayer(config, names, i)).ToArray());
        register_module(names.Layers, _layers);
        _finalNorm = Normalization.Create(config);
        register_module(names.FinalNorm, _finalNorm);
    }

    public EmbeddingTable TokenEmbedding => _tokenEmbedding;
    public int LayerCount => _layers.Count;

    /// <summary>See <see cref="ICausalLM.Hidden"/>; <paramref name="documentIds"/>: packed rows (<see cref="ICausalLM.HiddenPacked"/>), null for none.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, KvCache? cache, Tensor? documentIds = null)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"input ids must be [batch, time], got [{string.Join(", ", inputIds.shape)}]");
        using var scope = NewDisposeScope();
        return Run(_tokenEmbedding.Forward(inputIds), attentionMask, positionIds, cache, documentIds).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same pass from token embeddings [batch, time, hidden] instead of ids (transformers' <c>inputs_embeds</c>),
    /// for objectives that feed mixtures of embeddings (IFT). Learned position embeddings are still added; no KV cache.
    /// </summary>
    public Tensor ForwardEmbeddings(Tensor inputEmbeds, Tensor? attentionMask, Tensor? positionIds = null)
    {
        if (inputEmbeds.dim() != 3 || inputEmbeds.shape[2] != _config.HiddenSize)
            throw new ArgumentException($"input embeddings must be [batch, time, {_config.HiddenSize}], got [{string.Join(", ", inputEmbeds.shape)}]");
        using var scope = NewDisposeScope();
        return Run(inputEmbeds.alias(), attentionMask, positionIds, null).MoveToOuterDisposeScope();
    }

    Tensor Run(Tensor x, Tensor? attentionMask, Tensor? positionIds, KvCache? cache, Tensor? documentIds = null)
    {
        if (cache is not null && cache.Layers != LayerCount)
            throw new ArgumentException($"KV cache has {cache.Layers} layers, the model {LayerCount}");
        long batch = x.shape[0], time = x.shape[1];
        long past = cache?.Length ?? 0;
        var positions = positionIds
            ?? (documentIds is not null ? PackedPositions.FromDocumentIds(documentIds) : null)
            ?? arange(past, past + time, ScalarType.Int64, x.device).unsqueeze(0).expand(batch, time);

        if (_positionEmbedding is not null && positions.numel() > 0 && positions.max().item<long>() >= _config.MaxPositionEmbeddings)
            throw new ArgumentException($"position {positions.max().item<long>()} is beyond the model's {_config.MaxPositionEmbeddings} learned positions");
        if (_positionEmbedding is not null) x = x + _positionEmbedding.Forward(positions);
        Tensor? cos = null, sin = null;
        if (_rotary is not null) (cos, sin) = _rotary.CosSin(positions, x.dtype);
        var mask = AttentionMask.Build(attentionMask, batch, time, past, _config.SlidingWindow, x.dtype, x.device, documentIds);

        foreach (var layer in _layers)
        {
            var next = layer.Forward(x, _rotary, cos, sin, mask, cache);
            x.Dispose(); // frees only this handle; autograd keeps what backward needs
            x = next;
        }
        return Normalization.Apply(_finalNorm, x);
    }
}

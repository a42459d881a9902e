using AlignSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Multi-head attention with grouped key/value heads, rotary or no positions, an optional KV cache,
/// and the projection layout of each family:
/// separate q/k/v/o (Llama, Mistral, Qwen2), GPT-2's fused Conv1D <c>c_attn</c> ([q | k | v] along the
/// output), GPT-NeoX's fused <c>query_key_value</c> laid out per head as [heads, 3, head_dim].
/// </summary>
public sealed class Attention : NamedModule, IMixedPrecisionModule
{
    readonly ArchitectureFamily _family;
    readonly int _layerIndex;
    readonly int _heads;
    readonly int _kvHeads;
    readonly int _headDim;
    readonly IProjection? _fusedQueryKeyValue; // GPT-2 c_attn, GPT-NeoX query_key_value
    readonly IProjection? _query, _key, _value; // the others
    readonly LinearLayer[]? _queryKeyValue;      // the same three, run as one matmul in training
    readonly IProjection _output;

    public Attention(ModelConfig config, int layerIndex) : base(nameof(Attention))
    {
        _family = config.Family;
        _layerIndex = layerIndex;
        _heads = config.HeadCount;
        _kvHeads = config.KeyValueHeadCount;
        _headDim = config.HeadDim;
        if (_heads % _kvHeads != 0)
            throw new ArgumentException($"num_attention_heads {_heads} is not a multiple of num_key_value_heads {_kvHeads}");
        int hidden = config.HiddenSize;
        switch (_family)
        {
            case ArchitectureFamily.Gpt2:
                _fusedQueryKeyValue = Register("c_attn", new Conv1DLayer(hidden, 3 * hidden));
                _output = Register("c_proj", new Conv1DLayer(hidden, hidden));
                break;
            case ArchitectureFamily.GptNeoX:
                _fusedQueryKeyValue = Register("query_key_value", new LinearLayer(hidden, 3 * hidden, config.QkvBias));
                _output = Register("dense", new LinearLayer(hidden, hidden, config.OutputBias));
                break;
            default:
                _query = Register("q_proj", new LinearLayer(hidden, _heads * _headDim, config.QkvBias));
                _key = Register("k_proj", new LinearLayer(hidden, _kvHeads * _headDim, config.QkvBias));
                _value = Register("v_proj", new LinearLayer(hidden, _kvHeads * _headDim, config.QkvBias));
                _output = Register("o_proj", new LinearLayer(_heads * _headDim, hidden, config.OutputBias));
                _queryKeyValue = [(LinearLayer)_query, (LinearLayer)_key, (LinearLayer)_value];
                break;
        }
    }

    /// <summary>The dtype of the attention matmuls (SDPA); the projections have their own setting.</summary>
    public Precision Precision { get; set; }

    /// <summary>
    /// x [batch, time, hidden] → [batch, time, hidden]. <paramref name="rotary"/> with its cos/sin is null
    /// for learned positions (GPT-2); <paramref name="mask"/> is the additive mask [batch, 1, time, keys]
    /// or null for plain causal attention; <paramref name="cache"/> receives this step's keys and values.
    /// </summary>
    public Tensor Forward(Tensor x, RotaryEmbedding? rotary, Tensor? cos, Tensor? sin, Tensor? mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var (q, k, v) = ProjectQueryKeyValue(x); // [b, heads, t, d], [b, kv_heads, t, d] x2
        if (rotary is not null)
        {
            q = rotary.Apply(q, cos!, sin!);
            k = rotary.Apply(k, cos!, sin!);
        }
        if (cache is not null) (k, v) = cache.Append(_layerIndex, k, v);
        k = RepeatKeyValueHeads(k);
        v = RepeatKeyValueHeads(v);
        if (Precision.MatmulType() is ScalarType type)
        {
            // Autocast: rotary ran in fp32 (bf16 q/k times fp32 cos/sin), SDPA runs on bf16 casts;
            // its softmax accumulates in fp32 internally.
            (q, k, v) = (MixedPrecision.ForMatmul(q, type), MixedPrecision.ForMatmul(k, type), MixedPrecision.ForMatmul(v, type));
            if (mask is not null) mask = MixedPrecision.ForMatmul(mask, type);
        }
        var attended = mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: time > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, mask);
        var merged = attended.transpose(1, 2).reshape(batch, time, _heads * _headDim);
        return _output.Forward(merged).MoveToOuterDisposeScope();
    }

    (Tensor Q, Tensor K, Tensor V) ProjectQueryKeyValue(Tensor x)
    {
        long batch = x.shape[0], time = x.shape[1];
        switch (_family)
        {
            case ArchitectureFamily.Gpt2:
            {
                // [q | k | v] along the output dimension.
                var parts = _fusedQueryKeyValue!.Forward(x).split(_heads * _headDim, -1);
                return (Heads(parts[0], _heads), Heads(parts[1], _heads), Heads(parts[2], _heads));
            }
            case ArchitectureFamily.GptNeoX:
            {
                // [b, t, heads, 3·d] → per head: q = [..., :d], k = [..., d:2d], v = [..., 2d:]
                var perHead = _fusedQueryKeyValue!.Forward(x).view(batch, time, _heads, 3 * _headDim).transpose(1, 2);
                var parts = perHead.split(_headDim, -1);
                return (parts[0], parts[1], parts[2]);
            }
            default:
                if (_queryKeyValue is { } layers && SharedInputProjections.ShouldFuse(layers))
                {
                    var qkv = SharedInputProjections.Forward(x, layers);
                    return (Heads(qkv[0], _heads), Heads(qkv[1], _kvHeads), Heads(qkv[2], _kvHeads));
                }
                return (Heads(_query!.Forward(x), _heads), Heads(_key!.Forward(x), _kvHeads), Heads(_value!.Forward(x), _kvHeads));
        }
    }

    /// <summary>[b, t, n·d] → [b, n, t, d]</summary>
    Tensor Heads(Tensor projected, int count) =>
        projected.view(projected.shape[0], projected.shape[1], count, _headDim).transpose(1, 2);

    /// <summary>Each key/value head serves heads/kv_heads consecutive query heads (transformers' repeat_kv).</summary>
    Tensor RepeatKeyValueHeads(Tensor kv)
    {
        int groups = _heads / _kvHeads;
        if (groups == 1) return kv;
        long batch = kv.shape[0], length = kv.shape[2];
        return kv.unsqueeze(2).expand(batch, _kvHeads, groups, length, _headDim).reshape(batch, _heads, length, _headDim);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Keys and values of the tokens seen so far, one pair per decoder layer, shaped
/// [batch, kv_heads, cached_tokens, head_dim]. The cache owns its tensors: they are detached from
/// any dispose scope, so a generation step's scope can end without freeing them.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor?[] _keys;
    readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    public int Layers => _keys.Length;

    /// <summary>Number of positions cached (equal across layers once a forward pass has finished).</summary>
    public long Length => _keys[^1]?.shape[2] ?? _keys[0]?.shape[2] ?? 0;

    /// <summary>
    /// Appends this step's keys and values for a layer and returns the full keys and values
    /// (cached + new). The returned tensors belong to the cache; do not dispose them.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        Tensor newKeys = _keys[layer] is { } k ? cat(new[] { k, keys }, 2) : keys.alias();
        Tensor newValues = _values[layer] is { } v ? cat(new[] { v, values }, 2) : values.alias();
        newKeys.DetachFromDisposeScope();
        newValues.DetachFromDisposeScope();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = newKeys;
        _values[layer] = newValues;
        return (newKeys, newValues);
    }

    /// <summary>Keeps only the given batch rows (e.g. after some sequences finished).</summary>
    public void SelectRows(Tensor rowIndices)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] is null) continue;
            Tensor k = _keys[i]!.index_select(0, rowIndices).DetachFromDisposeScope();
            Tensor v = _values[i]!.index_select(0, rowIndices).DetachFromDisposeScope();
            _keys[i]!.Dispose();
            _values[i]!.Dispose();
            _keys[i] = k;
            _values[i] = v;
        }
    }

    public void Dispose()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }
}

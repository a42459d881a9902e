using AlignSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Scoring;

/// <summary>
/// A test double for <see cref="ICausalLM"/>: token + absolute position embeddings and two single-head
/// causal self-attention layers with residuals. Small enough to reason about, but it honours the whole
/// contract: the attention mask hides padded keys, position ids pick the position embedding, and the
/// cache receives each layer's keys and values. Weights come from a private seeded generator (never
/// the global RNG, which parallel tests share).
/// </summary>
internal sealed class TinyCausalLM : nn.Module, ICausalLM
{
    const int Layers = 2;
    readonly int _width;
    readonly Embedding _tokens;
    readonly Embedding _positions;
    readonly ModuleList<Linear> _queries, _keys, _values, _outputs;
    readonly Linear _head;

    public TinyCausalLM(int vocab = 13, int width = 16, int maxPositions = 96, long seed = 1234, double headScale = 1.0)
        : base(nameof(TinyCausalLM))
    {
        _width = width;
        VocabSize = vocab;
        _tokens = nn.Embedding(vocab, width);
        _positions = nn.Embedding(maxPositions, width);
        _queries = new ModuleList<Linear>(Enumerable.Range(0, Layers).Select(_ => nn.Linear(width, width, hasBias: false)).ToArray());
        _keys = new ModuleList<Linear>(Enumerable.Range(0, Layers).Select(_ => nn.Linear(width, width, hasBias: false)).ToArray());
        _values = new ModuleList<Linear>(Enumerable.Range(0, Layers).Select(_ => nn.Linear(width, width, hasBias: false)).ToArray());
        _outputs = new ModuleList<Linear>(Enumerable.Range(0, Layers).Select(_ => nn.Linear(width, width, hasBias: false)).ToArray());
        _head = nn.Linear(width, vocab, hasBias: true);
        RegisterComponents();

        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            double scale = name.Contains("tokens") || name.Contains("positions") ? 1.0
                : name.Contains("head") ? headScale * 2.0 / Math.Sqrt(width) : 1.0 / Math.Sqrt(width);
            using var init = randn(parameter.shape, generator: generator) * scale;
            parameter.copy_(init);
        }
    }

    public long VocabSize { get; }
    public int LayerCount => Layers;

    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], time = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        positionIds ??= arange(past, past + time, dtype: ScalarType.Int64).unsqueeze(0).expand(batch, time);
        Tensor h = _tokens.call(inputIds) + _positions.call(positionIds);

        long total = past + time;
        // Query i sits at absolute index past + i and may see keys 0..past + i.
        Tensor causal = arange(total).unsqueeze(0).le(arange(past, total).unsqueeze(1)); // [time, total]
        Tensor allowed = causal.unsqueeze(0);
        if (attentionMask is not null) allowed = allowed.logical_and(attentionMask.to_type(ScalarType.Bool).unsqueeze(1));
        for (int layer = 0; layer < Layers; layer++)
        {
            Tensor q = _queries[layer].call(h).unsqueeze(1); // [batch, 1 head, time, width]
            Tensor k = _keys[layer].call(h).unsqueeze(1);
            Tensor v = _values[layer].call(h).unsqueeze(1);
            if (cache is not null) (k, v) = cache.Append(layer, k, v);
            Tensor scores = q.matmul(k.transpose(-1, -2)).squeeze(1) / Math.Sqrt(_width); // [batch, time, total]
            // A large finite negative (not -inf) so fully padded query rows stay finite.
            scores = scores.masked_fill(allowed.logical_not(), -1e9f);
            Tensor attended = scores.softmax(-1).matmul(v.squeeze(1));
            h = h + _outputs[layer].call(attended);
        }
        return h.MoveToOuterDisposeScope();
    }

    public Tensor Logits(Tensor hidden) => _head.call(hidden);
}

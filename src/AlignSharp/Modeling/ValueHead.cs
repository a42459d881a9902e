using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// A-LoL's value estimate V(x) (LoL-RL <c>ValueHeadAttention</c>): multi-head attention pooling of a frozen
/// model's last hidden states over the prompt tokens with one learned query, then a linear layer, then
/// min + σ(·)·(max − min) so V stays in the reward's range (the code uses min 0 and a per-task max_value).
/// Unlike the code, padding is masked out of the pooling (algorithms.md §3e pitfall 4), so how much a
/// prompt is padded cannot change its value.
/// </summary>
public sealed class ValueHead : nn.Module
{
    private readonly Linear _keys;
    private readonly Linear _values;
    private readonly Linear _output;
    private readonly Parameter _query;
    private readonly int _heads;
    private readonly long _hidden;

    public ValueHead(long hiddenSize, int heads, double minValue, double maxValue, long seed) : base(nameof(ValueHead))
    {
        if (heads < 1 || hiddenSize % heads != 0)
            throw new ArgumentException($"value head: {heads} heads must divide the hidden size {hiddenSize}", nameof(heads));
        if (!(maxValue > minValue))
            throw new ArgumentException($"value head: max_value {maxValue} must exceed min_value {minValue}", nameof(maxValue));
        _heads = heads;
        _hidden = hiddenSize;
        MinValue = minValue;
        MaxValue = maxValue;
        using var generator = new Generator((ulong)seed);
        _keys = nn.Linear(hiddenSize, hiddenSize);
        _values = nn.Linear(hiddenSize, hiddenSize);
        _output = nn.Linear(hiddenSize, 1);
        _query = new Parameter(torch.randn(hiddenSize, generator: generator).mul(1.0 / Math.Sqrt(hiddenSize)));
        register_module("keys", _keys);
        register_module("values", _values);
        register_module("output", _output);
        register_parameter("query", _query);
        foreach (var (_, p) in named_parameters())
            if (!ReferenceEquals(p, _query))
                using (torch.no_grad())
                    p.copy_(torch.rand(p.shape, generator: generator).mul(2).sub(1).mul(1.0 / Math.Sqrt(hiddenSize)));
    }

    public double MinValue { get; }

    public double MaxValue { get; }

    /// <summary>
    /// <paramref name="hidden"/>: [batch, time, hidden] frozen hidden states of the prompt tokens.
    /// <paramref name="promptMask"/>: [batch, time], nonzero at real prompt tokens (every row needs one).
    /// Returns V(x): [batch].
    /// </summary>
    public Tensor Forward(Tensor hidden, Tensor promptMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(promptMask);
        if (hidden.dim() != 3 || hidden.shape[2] != _hidden || promptMask.dim() != 2
            || promptMask.shape[0] != hidden.shape[0] || promptMask.shape[1] != hidden.shape[1])
            throw new ArgumentException(
                $"value head: hidden [{string.Join(", ", hidden.shape)}] must be [batch, time, {_hidden}] and the mask [{string.Join(", ", promptMask.shape)}] [batch, time]");
        using var scope = torch.NewDisposeScope();
        long batch = hidden.shape[0], time = hidden.shape[1], width = _hidden / _heads;
        var x = hidden.to_type(ScalarType.Float32);
        var keys = _keys.forward(x).reshape(batch, time, _heads, width);
        var values = _values.forward(x).reshape(batch, time, _heads, width);
        var query = _query.reshape(1, 1, _heads, width);
        var scores = (keys * query).sum(-1).div(Math.Sqrt(width)); // [batch, time, heads]
        var real = (promptMask.dtype == ScalarType.Bool ? promptMask : promptMask.ne(0)).unsqueeze(-1);
        // Padding gets −inf before the softmax, so its weight is exactly 0 whatever its hidden state.
        scores = scores.masked_fill(real.logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(1).unsqueeze(-1);
        var pooled = torch.where(real.unsqueeze(-1), values, torch.zeros_like(values)).mul(weights).sum(1).reshape(batch, _hidden);
        var value = _output.forward(pooled).squeeze(-1).sigmoid().mul(MaxValue - MinValue).add(MinValue);
        return value.MoveToOuterDisposeScope();
    }
}

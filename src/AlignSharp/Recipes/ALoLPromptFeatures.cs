using AlignSharp.Modeling;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// The frozen reference's last hidden states over each prompt: what <see cref="ValueHead"/> reads. Computed
/// once, with no grad, right-padded (a causal model's states at real positions do not see right padding).
/// </summary>
public sealed class ALoLPromptFeatures : IDisposable
{
    private ALoLPromptFeatures(Tensor hidden, Tensor mask)
    {
        Hidden = hidden;
        Mask = mask;
    }

    /// <summary>[prompts, time, hidden] float32; padding positions hold whatever the model produced there.</summary>
    public Tensor Hidden { get; }

    /// <summary>[prompts, time] bool: a real prompt token.</summary>
    public Tensor Mask { get; }

    public long Count => Hidden.shape[0];

    public static ALoLPromptFeatures Compute(ICausalLM reference, IReadOnlyList<IReadOnlyList<int>> prompts, int paddingId, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("A-LoL value head: no prompts to read", nameof(prompts));
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("A-LoL value head: an empty prompt has no representation to pool", nameof(prompts));
        int time = prompts.Max(p => p.Count);
        var pieces = new List<Tensor>();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            for (int start = 0; start < prompts.Count; start += batchSize)
            {
                var rows = prompts.Skip(start).Take(batchSize).ToArray();
                var ids = new long[rows.Length * time];
                var attention = new long[rows.Length * time];
                Array.Fill(ids, paddingId);
                for (int b = 0; b < rows.Length; b++)
                    for (int t = 0; t < rows[b].Count; t++)
                    {
                        ids[b * time + t] = rows[b][t];
                        attention[b * time + t] = 1;
                    }
                long[] shape = [rows.Length, time];
                pieces.Add(reference.Hidden(tensor(ids, shape, int64), tensor(attention, shape, int64)).to_type(ScalarType.Float32));
            }
        }
        var mask = new bool[prompts.Count * time];
        for (int b = 0; b < prompts.Count; b++)
            for (int t = 0; t < prompts[b].Count; t++) mask[b * time + t] = true;
        return new ALoLPromptFeatures(
            cat(pieces, 0).MoveToOuterDisposeScope(),
            tensor(mask, [prompts.Count, time], @bool).MoveToOuterDisposeScope());
    }

    /// <summary>Features built from given tensors (tests, or a cache read back).</summary>
    public static ALoLPromptFeatures FromTensors(Tensor hidden, Tensor mask) => new(hidden, mask);

    public void Dispose()
    {
        Hidden.Dispose();
        Mask.Dispose();
    }
}

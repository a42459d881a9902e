using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>A lookup table [count, dim] (token or learned position embeddings).</summary>
public sealed class EmbeddingTable : NamedModule
{
    public EmbeddingTable(long count, long dim) : base(nameof(EmbeddingTable))
    {
        register_parameter("weight", new Parameter(empty(count, dim)));
    }

    public Tensor Weight => this.Parameter("weight");

    public Tensor Forward(Tensor ids)
    {
        using var flat = ids.reshape(-1);
        using var rows = Weight.index_select(0, flat);
        return rows.reshape([.. ids.shape, Weight.shape[1]]);
    }
}

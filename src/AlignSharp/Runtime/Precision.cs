namespace AlignSharp.Runtime;

/// <summary>
/// The dtype the matrix work of a model runs in. Parameters, gradients, optimizer state, norms,
/// softmax, log-softmax and losses are float32 in both modes (DESIGN.md, "Numerics and memory").
/// </summary>
public enum Precision
{
    /// <summary>Everything in float32: the default, and bit-identical to the model without the precision seam.</summary>
    Float32,

    /// <summary>
    /// Autocast-style mixed precision: linear projections, the attention matmuls and the LM head run in
    /// bfloat16 on bfloat16 casts of their float32 inputs and weights; gradients flow back through the
    /// casts to the float32 master parameters.
    /// </summary>
    BFloat16,
}

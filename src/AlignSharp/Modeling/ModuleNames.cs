namespace AlignSharp.Modeling;

/// <summary>
/// The Hugging Face module names of one family, so parameter names equal the checkpoint's tensor
/// names (e.g. <c>model.layers.0.self_attn.q_proj.weight</c>) and state dicts map 1:1.
/// </summary>
public sealed record ModuleNames(
    string Body,
    string TokenEmbedding,
    string? PositionEmbedding,
    string Layers,
    string FinalNorm,
    string OutputHead,
    string AttentionNorm,
    string Attention,
    string MlpNorm,
    string Mlp)
{
    /// <summary>The sequence-classification head (<c>score.weight</c>) in every family.</summary>
    public const string ScoreHead = "score";

    public static ModuleNames For(ArchitectureFamily family) => family switch
    {
        ArchitectureFamily.Gpt2 => new("transformer", "wte", "wpe", "h", "ln_f", "lm_head", "ln_1", "attn", "ln_2", "mlp"),
        ArchitectureFamily.GptNeoX => new("gpt_neox", "embed_in", null, "layers", "final_layer_norm", "embed_out",
            "input_layernorm", "attention", "post_attention_layernorm", "mlp"),
        _ => new("model", "embed_tokens", null, "layers", "norm", "lm_head", "input_layernorm", "self_attn", "post_attention_layernorm", "mlp"),
    };
}

using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// transformers' <c>_init_weights</c>: linear, Conv1D and embedding weights ~ normal(0, initializer_range),
/// biases 0, norms 1 (weight) and 0 (bias); the padding row of Llama-family token embeddings is 0;
/// GPT-2's residual projections (<c>c_proj</c>) use std / sqrt(2·layers).
/// Draws come from a private generator seeded by the caller, so init is reproducible and
/// touches no global RNG (Tensor.normal_ is used because TorchSharp's nn.init.normal_ ignores its generator).
/// </summary>
public static class WeightInitializer
{
    public static void Initialize(PretrainedModel model, long seed)
    {
        var config = model.Config;
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        double std = config.InitializerRange;
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case LinearLayer linear:
                    linear.Weight.normal_(0, std, generator);
                    if (linear.Bias is { } bias) bias.zero_();
                    break;
                case Conv1DLayer conv:
                    bool residual = config.Family == ArchitectureFamily.Gpt2 && name.EndsWith(".c_proj", StringComparison.Ordinal);
                    conv.Weight.normal_(0, residual ? std / Math.Sqrt(2.0 * config.LayerCount) : std, generator);
                    conv.Bias.zero_();
                    break;
                case EmbeddingTable embedding:
                    embedding.Weight.normal_(0, std, generator);
                    bool isTokenTable = name == $"{model.Names.Body}.{model.Names.TokenEmbedding}";
                    if (isTokenTable && config.PadTokenId is int pad && UsesPaddingIndex(config.Family) && pad >= 0 && pad < config.VocabSize)
                    {
                        using var paddingRow = embedding.Weight[pad];
                        paddingRow.zero_();
                    }
                    break;
                case RmsNorm rms:
                    rms.Weight.fill_(1);
                    break;
                case LayerNormLayer layerNorm:
                    layerNorm.Weight.fill_(1);
                    layerNorm.Bias.zero_();
                    break;
            }
        }
    }

    /// <summary>Llama, Mistral and Qwen2 build their token embedding with padding_idx = pad_token_id.</summary>
    static bool UsesPaddingIndex(ArchitectureFamily family) =>
        family is ArchitectureFamily.Llama or ArchitectureFamily.Mistral or ArchitectureFamily.Qwen2;
}

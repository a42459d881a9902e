using System.Text.Json.Nodes;

namespace AlignSharp.Modeling;

/// <summary>
/// Configs for fresh models (<c>alignsharp init --arch ... --preset ...</c>), written as the
/// config.json transformers would write, then parsed like any loaded config.
/// tiny: hidden 64, 2 layers, 4 heads (2 key/value heads for llama and qwen2), MLP 128 (gated) or 256; for tests.
/// small: hidden 256, 6 layers, 8 heads (4 key/value heads for llama and qwen2), MLP 704 (gated) or 1024.
/// </summary>
public static class ModelPresets
{
    public static readonly IReadOnlyList<string> Architectures = ["llama", "qwen2", "gpt2", "gpt_neox"];
    public static readonly IReadOnlyList<string> Presets = ["tiny", "small"];

    sealed record Size(int Hidden, int Layers, int Heads, int KeyValueHeads, int GatedIntermediate, int MaxPositions);

    static Size SizeOf(string preset) => preset switch
    {
        "tiny" => new(64, 2, 4, 2, 128, 512),
        "small" => new(256, 6, 8, 4, 704, 2048),
        _ => throw new ArgumentException($"unknown preset \"{preset}\"; presets: {string.Join(", ", Presets)}", nameof(preset)),
    };

    public static ModelConfig Create(string arch, string preset, int vocabSize, int? bosTokenId = null, int? eosTokenId = null, int? padTokenId = null)
    {
        if (vocabSize <= 0) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabulary size must be positive");
        var size = SizeOf(preset);
        JsonObject json = arch switch
        {
            "llama" => new JsonObject
            {
                ["architectures"] = new JsonArray("LlamaForCausalLM"),
                ["model_type"] = "llama",
                ["hidden_size"] = size.Hidden,
                ["intermediate_size"] = size.GatedIntermediate,
                ["num_hidden_layers"] = size.Layers,
                ["num_attention_heads"] = size.Heads,
                ["num_key_value_heads"] = size.KeyValueHeads,
                ["max_position_embeddings"] = size.MaxPositions,
                ["rms_norm_eps"] = 1e-5,
                ["rope_theta"] = 10000.0,
                ["hidden_act"] = "silu",
                ["tie_word_embeddings"] = true,
                ["attention_bias"] = false,
                ["mlp_bias"] = false,
                ["initializer_range"] = 0.02,
            },
            "qwen2" => new JsonObject
            {
                ["architectures"] = new JsonArray("Qwen2ForCausalLM"),
                ["model_type"] = "qwen2",
                ["hidden_size"] = size.Hidden,
                ["intermediate_size"] = size.GatedIntermediate,
                ["num_hidden_layers"] = size.Layers,
                ["num_attention_heads"] = size.Heads,
                ["num_key_value_heads"] = size.KeyValueHeads,
                ["max_position_embeddings"] = size.MaxPositions,
                ["rms_norm_eps"] = 1e-6,
                ["rope_theta"] = 1000000.0,
                ["hidden_act"] = "silu",
                ["tie_word_embeddings"] = true,
                ["use_sliding_window"] = false,
                ["initializer_range"] = 0.02,
            },
            "gpt2" => new JsonObject
            {
                ["architectures"] = new JsonArray("GPT2LMHeadModel"),
                ["model_type"] = "gpt2",
                ["n_embd"] = size.Hidden,
                ["n_layer"] = size.Layers,
                ["n_head"] = size.Heads,
                ["n_positions"] = size.MaxPositions,
                ["n_inner"] = null,
                ["activation_function"] = "gelu_new",
                ["layer_norm_epsilon"] = 1e-5,
                ["tie_word_embeddings"] = true,
                ["initializer_range"] = 0.02,
            },
            "gpt_neox" => new JsonObject
            {
                ["architectures"] = new JsonArray("GPTNeoXForCausalLM"),
                ["model_type"] = "gpt_neox",
                ["hidden_size"] = size.Hidden,
                ["intermediate_size"] = 4 * size.Hidden,
                ["num_hidden_layers"] = size.Layers,
                ["num_attention_heads"] = size.Heads,
                ["max_position_embeddings"] = size.MaxPositions,
                ["rotary_pct"] = 0.25,
                ["rotary_emb_base"] = 10000,
                ["use_parallel_residual"] = true,
                ["hidden_act"] = "gelu",
                ["layer_norm_eps"] = 1e-5,
                ["tie_word_embeddings"] = false,
                ["initializer_range"] = 0.02,
            },
            _ => throw new ArgumentException($"unknown architecture \"{arch}\"; architectures: {string.Join(", ", Architectures)}", nameof(arch)),
        };
        json["vocab_size"] = vocabSize;
        json["torch_dtype"] = "float32";
        if (bosTokenId is int bos) json["bos_token_id"] = bos;
        if (eosTokenId is int eos) json["eos_token_id"] = eos;
        if (padTokenId is int pad) json["pad_token_id"] = pad;
        return ModelConfig.Parse(json, $"preset {arch}/{preset}");
    }
}

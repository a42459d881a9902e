using System.Text.Json.Nodes;
using AlignSharp.Modeling;
using AlignSharp.Scoring;

namespace AlignSharp.Bench;

/// <summary>
/// The training benchmark's fixed model and batch (issue 3, item 7): Llama-style, vocab 8192, hidden 512,
/// 8 layers, 8 heads, intermediate 1376, sequences of 256 tokens, batch 8 (sequences for SFT, pairs for DPO).
/// bench/reference/train_step.py builds the same model and data.
/// </summary>
public static class ReferenceConfiguration
{
    public const int Vocab = 8192, Hidden = 512, Layers = 8, Heads = 8, Intermediate = 1376;
    public const int SequenceLength = 256, PromptLength = 64, Batch = 8;
    public const int CompletionLength = SequenceLength - PromptLength;

    /// <summary>transformers' LlamaConfig defaults apart from the sizes (untied head, no biases).</summary>
    public static ModelConfig Model() => ModelConfig.Parse(new JsonObject
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["model_type"] = "llama",
        ["vocab_size"] = Vocab,
        ["hidden_size"] = Hidden,
        ["intermediate_size"] = Intermediate,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = Heads,
        ["num_key_value_heads"] = Heads,
        ["max_position_embeddings"] = 2048,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 10000.0,
        ["hidden_act"] = "silu",
        ["tie_word_embeddings"] = false,
        ["initializer_range"] = 0.02,
    }, "bench reference configuration");

    /// <summary>Random token rows, prompt 64 + completion 192; the same seed gives the same rows.</summary>
    public static ScoringRow[] Rows(int count, Random random) =>
        Enumerable.Range(0, count).Select(_ => new ScoringRow(Tokens(PromptLength, random), Tokens(CompletionLength, random))).ToArray();

    /// <summary>Pairs sharing a prompt: chosen rows, then rejected rows.</summary>
    public static (ScoringRow[] Chosen, ScoringRow[] Rejected) Pairs(int count, Random random)
    {
        var prompts = Enumerable.Range(0, count).Select(_ => Tokens(PromptLength, random)).ToArray();
        var chosen = prompts.Select(p => new ScoringRow(p, Tokens(CompletionLength, random))).ToArray();
        var rejected = prompts.Select(p => new ScoringRow(p, Tokens(CompletionLength, random))).ToArray();
        return (chosen, rejected);
    }

    static int[] Tokens(int length, Random random) => Enumerable.Range(0, length).Select(_ => random.Next(Vocab)).ToArray();
}

namespace AlignSharp.Rollouts;

/// <summary>
/// How an online method samples its training data from the policy, with TRL's GRPOConfig / RLOOConfig keys
/// (<c>num_generations</c>, <c>max_completion_length</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c>,
/// <c>steps_per_generation</c>, <c>num_iterations</c>, <c>mask_truncated_completions</c>). Batch sizes come from
/// the training options: <c>per_device_train_batch_size</c> counts completions, as in TRL.
/// </summary>
public sealed record RolloutOptions
{
    /// <summary>Completions sampled per prompt (the group GRPO's and RLOO's baselines are computed over).</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Most tokens sampled per completion, the stop token included; a completion that reaches it is truncated.</summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>Prompts are cut from the left to this many tokens; null keeps them whole.</summary>
    public int? MaxPromptLength { get; init; }

    /// <summary>Divides the logits when sampling and when log-probs are recomputed, so the two agree.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling; 1 is off.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Top-k sampling; 0 is off.</summary>
    public int TopK { get; init; }

    /// <summary>
    /// Micro-batches one generation feeds (TRL's steps_per_generation); null means gradient_accumulation_steps, i.e. one
    /// generation per optimizer step. Must be a multiple of gradient_accumulation_steps, so no optimizer step mixes two
    /// generations (the slices TRL trains after an update without importance weights: trl#3493).
    /// </summary>
    public int? StepsPerGeneration { get; init; }

    /// <summary>Passes over each generation (GRPO's μ); after the first, the ratio to the sampling policy is no longer 1.</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>Truncated completions (no stop token within max_completion_length) are left out of the loss (DAPO's overlong filtering).</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>Rows per generation call (bounds the KV cache); null samples a whole generation in one call.</summary>
    public int? GenerationBatchSize { get; init; }

    /// <summary>Write this many (prompt, completion, reward) samples to completions.jsonl at every logged step; 0 writes none.</summary>
    public int NumCompletionsToPrint { get; init; } = 4;

    public void Validate()
    {
        static void Require(bool ok, string key, object? value, string expected)
        {
            if (!ok) throw new ArgumentException($"{key} = {value}: {expected}");
        }

        Require(NumGenerations >= 1, "num_generations", NumGenerations, "must be at least 1");
        Require(MaxCompletionLength >= 1, "max_completion_length", MaxCompletionLength, "must be at least 1");
        Require(MaxPromptLength is null or >= 1, "max_prompt_length", MaxPromptLength, "must be at least 1 when set");
        Require(Temperature > 0 && double.IsFinite(Temperature), "temperature", Temperature, "must be a positive number (online methods sample)");
        Require(TopP > 0 && TopP <= 1, "top_p", TopP, "must be in (0, 1]");
        Require(TopK >= 0, "top_k", TopK, "must be 0 (off) or more");
        Require(StepsPerGeneration is null or >= 1, "steps_per_generation", StepsPerGeneration, "must be at least 1 when set");
        Require(NumIterations >= 1, "num_iterations", NumIterations, "must be at least 1");
        Require(GenerationBatchSize is null or >= 1, "generation_batch_size", GenerationBatchSize, "must be at least 1 when set");
        Require(NumCompletionsToPrint >= 0, "num_completions_to_print", NumCompletionsToPrint, "must be 0 or more");
    }
}

namespace AlignSharp.Cli.Recipes;

/// <summary>The YAML keys each command accepts: TRL/transformers names, so a TRL config reads the same here.</summary>
public static class RecipeKeys
{
    /// <summary>TrainingArguments keys the loop implements, plus the data keys every recipe shares.</summary>
    public static readonly IReadOnlyList<string> Common =
    [
        "learning_rate", "num_train_epochs", "max_steps", "per_device_train_batch_size",
        "gradient_accumulation_steps", "max_grad_norm", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon",
        "lr_scheduler_type", "warmup_ratio", "warmup_steps", "seed", "logging_steps", "eval_steps", "save_steps",
        "save_total_limit", "max_length", "max_prompt_length", "chat_template", "skip_invalid", "bf16",
    ];

    public static readonly IReadOnlyList<string> Sft = [.. Common, "loss_normalization", "packing"];

    public static readonly IReadOnlyList<string> RewardModel = [.. Common, "center_rewards_coefficient", "margin"];

    /// <summary>
    /// How the pair recipes (dpo, modpo, orpo) run chosen and rejected rows: AlignSharp's memory settings, which TRL has no
    /// name for. One name for all three; DPO also accepts its older names (<see cref="DpoAliases"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> PairPasses = ["pair_passes", "pair_trim_heap"];

    /// <summary>The DPO-only names <see cref="PairPasses"/> had before MODPO and ORPO split their steps too, kept so older recipes read.</summary>
    public static readonly IReadOnlyDictionary<string, string> DpoAliases = new Dictionary<string, string>
    {
        ["pair_passes"] = "dpo_passes",
        ["pair_trim_heap"] = "dpo_trim_heap",
    };

    /// <summary>TRL's DPOConfig keys, plus the pair-pass settings under both names.</summary>
    public static readonly IReadOnlyList<string> Dpo = [.. Common, "beta", "loss_type", "label_smoothing", "ref_model", .. PairPasses, .. DpoAliases.Values];

    /// <summary>The rollout keys of TRL's GRPOConfig / RLOOConfig, the rewards, and the reference: what every online command reads.</summary>
    public static readonly IReadOnlyList<string> Online =
    [
        .. Common, "num_generations", "max_completion_length", "temperature", "top_p", "top_k", "steps_per_generation", "num_iterations",
        "mask_truncated_completions", "generation_batch_size", "num_completions_to_print", "reward_funcs", "reward_weights", "ref_model",
        "beta", "epsilon", "epsilon_high",
    ];

    public static readonly IReadOnlyList<string> Grpo = [.. Online, "loss_type", "scale_rewards"];

    public static readonly IReadOnlyList<string> Rloo = [.. Online, "normalize_advantages"];

    public static readonly IReadOnlyList<string> Quickstart =
    [
        "task", "seed", "sft_examples", "low_quality_share", "sft_max_steps", "sft_learning_rate", "preference_pairs",
        "dpo_max_steps", "dpo_learning_rate", "beta", "per_device_train_batch_size", "eval_prompts",
    ];
}

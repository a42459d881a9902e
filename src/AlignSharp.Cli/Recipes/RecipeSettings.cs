using System.Globalization;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Training;

namespace AlignSharp.Cli.Recipes;

/// <summary>
/// Settings gathered from a YAML recipe and command-line flags (flags win), turned into the library's option
/// records. Every conversion error names the key and where it was written.
/// </summary>
public sealed class RecipeSettings(Dictionary<string, ConfigValue> values)
{
    public static RecipeSettings From(string? configPath, IReadOnlyList<string> knownKeys, string method, IEnumerable<(string Key, string Flag, string? Text)> flags)
    {
        var values = configPath is null ? new Dictionary<string, ConfigValue>(StringComparer.Ordinal) : RecipeConfigFile.Read(configPath, knownKeys, method);
        foreach (var (key, flag, text) in flags)
            if (text is not null) values[key] = new ConfigValue(text, flag, FromCommandLine: true);
        return new RecipeSettings(values);
    }

    public bool Has(string key) => values.ContainsKey(key);

    public string? String(string key) => values.TryGetValue(key, out var v) ? v.Text : null;

    public double? Double(string key) => Parse(key, (string t, out double d) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out d), "a number");

    public int? Int(string key) => Parse(key, (string t, out int i) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out i), "an integer");

    public bool? Bool(string key) => Parse(key, (string t, out bool b) => bool.TryParse(t, out b), "true or false");

    delegate bool TryParse<T>(string text, out T value);

    T? Parse<T>(string key, TryParse<T> parse, string expected) where T : struct
    {
        if (!values.TryGetValue(key, out var value)) return null;
        if (!parse(value.Text.Trim(), out T result))
            throw new UserInputException($"{value.Source}: '{value.Text}' is not {expected}");
        return result;
    }

    /// <summary>The loop's settings: transformers' defaults for what is not given, <paramref name="outputDir"/> from --output.</summary>
    public TrainingOptions Training(string outputDir)
    {
        var o = new TrainingOptions { OutputDir = outputDir };
        return o with
        {
            LearningRate = Double("learning_rate") ?? o.LearningRate,
            NumTrainEpochs = Double("num_train_epochs") ?? o.NumTrainEpochs,
            MaxSteps = Int("max_steps") ?? o.MaxSteps,
            PerDeviceTrainBatchSize = Int("per_device_train_batch_size") ?? o.PerDeviceTrainBatchSize,
            GradientAccumulationSteps = Int("gradient_accumulation_steps") ?? o.GradientAccumulationSteps,
            MaxGradNorm = Double("max_grad_norm") ?? o.MaxGradNorm,
            WeightDecay = Double("weight_decay") ?? o.WeightDecay,
            AdamBeta1 = Double("adam_beta1") ?? o.AdamBeta1,
            AdamBeta2 = Double("adam_beta2") ?? o.AdamBeta2,
            AdamEpsilon = Double("adam_epsilon") ?? o.AdamEpsilon,
            LrSchedulerType = String("lr_scheduler_type") ?? o.LrSchedulerType,
            WarmupRatio = Double("warmup_ratio") ?? o.WarmupRatio,
            WarmupSteps = Int("warmup_steps") ?? o.WarmupSteps,
            Seed = Int("seed") ?? o.Seed,
            LoggingSteps = Int("logging_steps") ?? o.LoggingSteps,
            EvalSteps = Int("eval_steps") ?? o.EvalSteps,
            SaveSteps = Int("save_steps") ?? o.SaveSteps,
            SaveTotalLimit = Int("save_total_limit") ?? o.SaveTotalLimit,
        };
    }

    public RecipeOptions Common(string outputDir) => new()
    {
        Training = Training(outputDir),
        MaxLength = Int("max_length"),
        MaxPromptLength = Int("max_prompt_length"),
        ChatTemplate = String("chat_template"),
        SkipInvalid = Bool("skip_invalid") ?? false,
        Bf16 = Bool("bf16") ?? false,
        EvalDataPath = String(EvalDataKey),
    };

    /// <summary>Set by --eval-data only (TRL takes datasets in code, not in its config).</summary>
    public const string EvalDataKey = "eval_data";

    public SftRecipeOptions Sft(string outputDir) => new()
    {
        Common = Common(outputDir),
        Normalisation = String("loss_normalization") switch
        {
            null or "token_mean" => SftNormalisation.TokenMean,
            "sequence_sum" => SftNormalisation.SequenceSum,
            var other => throw new UserInputException($"{values["loss_normalization"].Source}: '{other}' is not token_mean or sequence_sum"),
        },
        Packing = Bool("packing") ?? false,
    };

    public RewardModelRecipeOptions RewardModel(string outputDir) => new()
    {
        Common = Common(outputDir),
        CenterRewardsCoefficient = Double("center_rewards_coefficient"),
        Margin = Double("margin"),
    };

    public DpoRecipeOptions Dpo(string outputDir)
    {
        var dpo = new DpoOptions();
        var defaults = new DpoRecipeOptions();
        return new DpoRecipeOptions
        {
            Common = Common(outputDir),
            Dpo = dpo with
            {
                Beta = Double("beta") ?? dpo.Beta,
                LossType = String("loss_type") is { } type ? DpoLossTypes.Parse(type) : dpo.LossType,
                LabelSmoothing = Double("label_smoothing") ?? dpo.LabelSmoothing,
            },
            ReferenceModel = String("ref_model"),
            PairSteps = PairSteps(defaults.PairSteps, RecipeKeys.DpoAliases),
        };
    }

    /// <summary>
    /// pair_passes and pair_trim_heap (or their older names in <paramref name="aliases"/>); each unset one keeps
    /// <paramref name="defaults"/>' value.
    /// </summary>
    public PairStepOptions PairSteps(PairStepOptions defaults, IReadOnlyDictionary<string, string>? aliases = null)
    {
        string passesKey = KeyOrAlias("pair_passes", aliases);
        PairPasses passes = String(passesKey) switch
        {
            null => defaults.Passes,
            var name when PairPassesNames.KnownNames.Contains(name) => PairPassesNames.Parse(name),
            var other => throw new UserInputException($"{values[passesKey].Source}: '{other}' is not {string.Join(" or ", PairPassesNames.KnownNames)}"),
        };
        return new PairStepOptions(passes, Bool(KeyOrAlias("pair_trim_heap", aliases)) ?? defaults.TrimHeap);
    }

    // The key that is set: the key itself, or its older name. Both set: a command-line flag wins over the file
    // (as for every key); both in the same place is ambiguous, so an error.
    string KeyOrAlias(string key, IReadOnlyDictionary<string, string>? aliases)
    {
        if (aliases is null || !aliases.TryGetValue(key, out string? alias) || !values.TryGetValue(alias, out var old)) return key;
        if (!values.TryGetValue(key, out var current)) return alias;
        if (current.FromCommandLine != old.FromCommandLine) return current.FromCommandLine ? key : alias;
        throw new UserInputException($"{current.Source} and {old.Source}: {key} and its older name {alias} are both set; keep {key}");
    }

    /// <summary>The rollout and reward settings every online recipe shares (TRL's GRPOConfig / RLOOConfig names).</summary>
    public OnlineRecipeOptions Online(string outputDir, OnlineRecipeOptions defaults, IReadOnlyList<double>? rewardWeights)
    {
        var r = defaults.Rollout;
        return defaults with
        {
            Common = Common(outputDir),
            Rollout = r with
            {
                NumGenerations = Int("num_generations") ?? r.NumGenerations,
                MaxCompletionLength = Int("max_completion_length") ?? r.MaxCompletionLength,
                Temperature = Double("temperature") ?? r.Temperature,
                TopP = Double("top_p") ?? r.TopP,
                TopK = Int("top_k") ?? r.TopK,
                StepsPerGeneration = Int("steps_per_generation") ?? r.StepsPerGeneration,
                NumIterations = Int("num_iterations") ?? r.NumIterations,
                MaskTruncatedCompletions = Bool("mask_truncated_completions") ?? r.MaskTruncatedCompletions,
                GenerationBatchSize = Int("generation_batch_size") ?? r.GenerationBatchSize,
                NumCompletionsToPrint = Int("num_completions_to_print") ?? r.NumCompletionsToPrint,
            },
            RewardWeights = rewardWeights,
            ReferenceModel = String("ref_model"),
        };
    }

    public GrpoRecipeOptions Grpo(string outputDir, IReadOnlyList<double>? rewardWeights)
    {
        var defaults = new GrpoRecipeOptions();
        var grpo = defaults.Grpo;
        try
        {
            return new GrpoRecipeOptions
            {
                Online = Online(outputDir, defaults.Online, rewardWeights),
                Grpo = grpo with
                {
                    Beta = Double("beta") ?? grpo.Beta,
                    Epsilon = Double("epsilon") ?? grpo.Epsilon,
                    EpsilonHigh = Double("epsilon_high") ?? grpo.EpsilonHigh,
                    LossType = String("loss_type") is { } type ? GrpoOptions.ParseLossType(type) : grpo.LossType,
                },
                ScaleRewards = String("scale_rewards") is { } scale ? GroupAdvantages.ParseScaling(scale) : defaults.ScaleRewards,
            };
        }
        catch (ArgumentException error)
        {
            throw new UserInputException(error.Message);
        }
    }

    public RlooRecipeOptions Rloo(string outputDir, IReadOnlyList<double>? rewardWeights)
    {
        var defaults = new RlooRecipeOptions();
        return new RlooRecipeOptions
        {
            Online = Online(outputDir, defaults.Online, rewardWeights),
            Beta = Double("beta") ?? defaults.Beta,
            Epsilon = Double("epsilon") ?? defaults.Epsilon,
            EpsilonHigh = Double("epsilon_high") ?? defaults.EpsilonHigh,
            NormalizeAdvantages = Bool("normalize_advantages") ?? defaults.NormalizeAdvantages,
        };
    }

    public QuickstartOptions Quickstart(QuickstartOptions defaults)
    {
        int? prompts = Int("eval_prompts");
        return defaults with
        {
            Task = String("task") ?? defaults.Task,
            Seed = Int("seed") ?? defaults.Seed,
            SftExamples = Int("sft_examples") ?? defaults.SftExamples,
            LowQualityShare = Double("low_quality_share") ?? defaults.LowQualityShare,
            SftSteps = Int("sft_max_steps") ?? defaults.SftSteps,
            SftLearningRate = Double("sft_learning_rate") ?? defaults.SftLearningRate,
            PreferencePairs = Int("preference_pairs") ?? defaults.PreferencePairs,
            DpoSteps = Int("dpo_max_steps") ?? defaults.DpoSteps,
            DpoLearningRate = Double("dpo_learning_rate") ?? defaults.DpoLearningRate,
            Beta = Double("beta") ?? defaults.Beta,
            BatchSize = Int("per_device_train_batch_size") ?? defaults.BatchSize,
            Evaluation = prompts is int count ? defaults.Evaluation with { PromptCount = count } : defaults.Evaluation,
        };
    }
}

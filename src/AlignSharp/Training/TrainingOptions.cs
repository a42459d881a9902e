using AlignSharp.Training.Schedules;

namespace AlignSharp.Training;

/// <summary>
/// Settings of <see cref="TrainingLoop"/>. Property names are the transformers/TRL
/// <c>TrainingArguments</c> keys in PascalCase, so a snake_case naming policy maps a config 1:1
/// (<c>per_device_train_batch_size</c> ↔ <see cref="PerDeviceTrainBatchSize"/>). Defaults are transformers'
/// except <see cref="LoggingSteps"/> (TRL's 10).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Where checkpoints (<c>checkpoint-&lt;step&gt;</c>), <c>metrics.jsonl</c> and <c>runs/</c> event files go.</summary>
    public string OutputDir { get; init; } = "trainer_output";

    /// <summary>Peak learning rate of AdamW (the schedule scales it).</summary>
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>Passes over the data; fractional values stop part-way (ceil of the steps). Ignored when <see cref="MaxSteps"/> &gt; 0.</summary>
    public double NumTrainEpochs { get; init; } = 3.0;

    /// <summary>Optimizer steps to run; when &gt; 0 it overrides <see cref="NumTrainEpochs"/> (more epochs start as needed).</summary>
    public int MaxSteps { get; init; } = -1;

    /// <summary>Examples per micro-batch (one forward/backward).</summary>
    public int PerDeviceTrainBatchSize { get; init; } = 8;

    /// <summary>Micro-batches per optimizer step; the effective batch is their product.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Clip the global L2 norm of the gradients to this; 0 turns clipping off (the norm is still logged).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Decoupled AdamW weight decay; never applied to biases and norm weights.</summary>
    public double WeightDecay { get; init; }

    public double AdamBeta1 { get; init; } = 0.9;

    public double AdamBeta2 { get; init; } = 0.999;

    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>One of <see cref="LrSchedulerTypes.KnownNames"/>.</summary>
    public string LrSchedulerType { get; init; } = "linear";

    /// <summary>Warmup as a fraction of the total steps (rounded up). Set this or <see cref="WarmupSteps"/>.</summary>
    public double WarmupRatio { get; init; }

    public int WarmupSteps { get; init; }

    /// <summary>Seeds libtorch's global generator and the data order.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Write a metrics row every this many optimizer steps (and at the last step).</summary>
    public int LoggingSteps { get; init; } = 10;

    /// <summary>Run the evaluation callback every this many steps; 0 never evaluates.</summary>
    public int EvalSteps { get; init; }

    /// <summary>Write <c>checkpoint-&lt;step&gt;</c> every this many steps and at the last step; 0 never saves.</summary>
    public int SaveSteps { get; init; } = 500;

    /// <summary>Keep at most this many checkpoints (the oldest are deleted); null keeps all.</summary>
    public int? SaveTotalLimit { get; init; }

    /// <summary>The schedule part of these options, for <see cref="LearningRateSchedule.Create"/>.</summary>
    public LearningRateScheduleOptions ToScheduleOptions() => new()
    {
        LrSchedulerType = LrSchedulerType,
        WarmupRatio = WarmupRatio,
        WarmupSteps = WarmupSteps,
    };

    /// <summary>Throws with the config key's name on the first value that cannot work.</summary>
    public void Validate()
    {
        static void Require(bool ok, string key, object value, string expected)
        {
            if (!ok) throw new ArgumentException($"{key} = {value}: {expected}");
        }

        Require(!string.IsNullOrWhiteSpace(OutputDir), "output_dir", OutputDir, "a folder is required");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", LearningRate, "must be a positive number");
        Require(MaxSteps > 0 || (NumTrainEpochs > 0 && double.IsFinite(NumTrainEpochs)), "num_train_epochs", NumTrainEpochs,
            "must be positive unless max_steps is set");
        Require(PerDeviceTrainBatchSize >= 1, "per_device_train_batch_size", PerDeviceTrainBatchSize, "must be at least 1");
        Require(GradientAccumulationSteps >= 1, "gradient_accumulation_steps", GradientAccumulationSteps, "must be at least 1");
        Require(MaxGradNorm >= 0 && double.IsFinite(MaxGradNorm), "max_grad_norm", MaxGradNorm, "must be >= 0 (0 turns clipping off)");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), "weight_decay", WeightDecay, "must be >= 0");
        Require(AdamBeta1 >= 0 && AdamBeta1 < 1, "adam_beta1", AdamBeta1, "must be in [0, 1)");
        Require(AdamBeta2 >= 0 && AdamBeta2 < 1, "adam_beta2", AdamBeta2, "must be in [0, 1)");
        Require(AdamEpsilon >= 0 && double.IsFinite(AdamEpsilon), "adam_epsilon", AdamEpsilon, "must be >= 0");
        Require(LoggingSteps >= 1, "logging_steps", LoggingSteps, "must be at least 1");
        Require(EvalSteps >= 0, "eval_steps", EvalSteps, "must be >= 0 (0 never evaluates)");
        Require(SaveSteps >= 0, "save_steps", SaveSteps, "must be >= 0 (0 never saves)");
        Require(SaveTotalLimit is null or >= 1, "save_total_limit", SaveTotalLimit!, "must be at least 1 when set");
        LrSchedulerTypes.Parse(LrSchedulerType);
    }
}

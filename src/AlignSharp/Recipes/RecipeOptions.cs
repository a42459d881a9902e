using AlignSharp.Data;
using AlignSharp.Runtime;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// What every recipe needs besides its objective: the loop's settings (TRL names; <see cref="TrainingOptions.OutputDir"/>
/// is where the final Hugging Face folder, checkpoints, metrics and the reference cache go), truncation and how bad rows are treated.
/// </summary>
public sealed record RecipeOptions
{
    public TrainingOptions Training { get; init; } = new();

    /// <summary>max_length: prompt plus completion, in tokens; null means no limit.</summary>
    public int? MaxLength { get; init; }

    /// <summary>max_prompt_length: prompts are cut from the left to this many tokens; null means no limit.</summary>
    public int? MaxPromptLength { get; init; }

    /// <summary>--skip-invalid: drop rows with problems (listed in the log) instead of failing before step 1.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>
    /// Held-out data in the training file's layout, validated with it before step 1; evaluated every
    /// <c>eval_steps</c> with the training objective (<c>eval_loss</c> and the objective's metrics).
    /// </summary>
    public string? EvalDataPath { get; init; }

    /// <summary>A built-in chat template name for message-list rows; null uses the one recognised from the model folder.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Positions projected to the vocabulary at once when computing log-probs (bounds the fp32 logits held).</summary>
    public int ChunkPositions { get; init; } = 1024;

    /// <summary>
    /// bf16 (TrainingArguments' key): matrix work in bfloat16 on float32 master weights (autocast-style,
    /// see <see cref="Runtime.Precision"/>); false keeps everything in float32.
    /// </summary>
    public bool Bf16 { get; init; }

    /// <summary>The precision <see cref="Bf16"/> selects, set on every model a recipe trains or scores with.</summary>
    public Precision Precision => Bf16 ? Precision.BFloat16 : Precision.Float32;

    internal PreparationOptions Preparation() => new(
        Truncation: new TruncationOptions(MaxLength, MaxPromptLength),
        SkipInvalid: SkipInvalid);
}

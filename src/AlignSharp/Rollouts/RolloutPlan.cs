namespace AlignSharp.Rollouts;

/// <summary>
/// The arithmetic of an online run, validated and printed once at start so nobody has to guess it (TRL users are
/// confused by it: trl#3061): prompts and completions per generation, micro-batches and optimizer steps per
/// generation, and updates per rollout batch. <c>per_device_train_batch_size</c> counts completions.
/// </summary>
public sealed record RolloutPlan
{
    public RolloutPlan(int promptCount, int microBatchSize, int accumulationSteps, RolloutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptCount < 1) throw new ArgumentException("the prompt set is empty; there is nothing to sample from");
        int stepsPerGeneration = options.StepsPerGeneration ?? accumulationSteps;
        if (stepsPerGeneration % accumulationSteps != 0)
            throw new ArgumentException(
                $"steps_per_generation = {stepsPerGeneration} is not a multiple of gradient_accumulation_steps = {accumulationSteps}: an optimizer step " +
                "would mix completions of two generations, one of them sampled before the last update");
        int completions = microBatchSize * stepsPerGeneration;
        if (completions % options.NumGenerations != 0)
            throw new ArgumentException(
                $"a generation holds per_device_train_batch_size × steps_per_generation = {microBatchSize} × {stepsPerGeneration} = {completions} completions, " +
                $"not a multiple of num_generations = {options.NumGenerations}: every prompt needs all its completions in the same generation");
        PromptCount = promptCount;
        NumGenerations = options.NumGenerations;
        MicroBatchSize = microBatchSize;
        AccumulationSteps = accumulationSteps;
        MicroBatchesPerGeneration = stepsPerGeneration;
        CompletionsPerGeneration = completions;
        PromptsPerGeneration = completions / options.NumGenerations;
        SlicesPerGeneration = stepsPerGeneration / accumulationSteps;
        NumIterations = options.NumIterations;
        MaxCompletionLength = options.MaxCompletionLength;
    }

    public int PromptCount { get; }
    public int NumGenerations { get; }
    public int MicroBatchSize { get; }
    public int AccumulationSteps { get; }
    public int MicroBatchesPerGeneration { get; }
    public int CompletionsPerGeneration { get; }
    public int PromptsPerGeneration { get; }

    /// <summary>Optimizer steps one pass over a generation takes.</summary>
    public int SlicesPerGeneration { get; }

    public int NumIterations { get; }
    public int MaxCompletionLength { get; }

    /// <summary>Optimizer steps (updates) drawn from one generation: its slices times num_iterations.</summary>
    public int UpdatesPerGeneration => SlicesPerGeneration * NumIterations;

    /// <summary>Completions per optimizer step.</summary>
    public int CompletionsPerStep => MicroBatchSize * AccumulationSteps;

    /// <summary>Optimizer steps in which every prompt is sampled once (an epoch over the prompts, rounded up).</summary>
    public int StepsPerEpoch => (int)Math.Ceiling((double)PromptCount / PromptsPerGeneration) * UpdatesPerGeneration;

    /// <summary>The lines printed at start.</summary>
    public IEnumerable<string> Describe(int longestPrompt)
    {
        yield return $"rollout plan: {PromptsPerGeneration} prompts × {NumGenerations} generations = {CompletionsPerGeneration} completions per generation, from {PromptCount} prompts";
        yield return $"  each optimizer step: {AccumulationSteps} micro-batch(es) of {MicroBatchSize} completions = {CompletionsPerStep} completions, " +
            $"at most {CompletionsPerStep} × ({longestPrompt} prompt + {MaxCompletionLength} completion) = {CompletionsPerStep * (longestPrompt + MaxCompletionLength)} tokens";
        yield return $"  each generation: {SlicesPerGeneration} optimizer step(s) per pass × num_iterations {NumIterations} = {UpdatesPerGeneration} update(s) per rollout batch" +
            (UpdatesPerGeneration == 1 ? " (fully on-policy: the ratio to the sampling policy is 1, clip ratios stay 0)" : "");
    }
}

namespace AlignSharp.Evaluation;

/// <summary>How <see cref="PolicyEvaluator"/> samples held-out completions.</summary>
/// <param name="PromptCount">Held-out prompts sampled (drawn with replacement from the task's held-out split).</param>
/// <param name="Seed">Seeds the prompt draw and the sampling, so two policies are compared on the same prompts.</param>
/// <param name="MaxNewTokens">Most tokens per completion.</param>
/// <param name="Temperature">1 samples from the policy itself (the KL estimate needs that); 0 is greedy.</param>
/// <param name="BatchSize">Prompts generated and scored together.</param>
public sealed record EvaluationOptions(int PromptCount = 64, int Seed = 0, int MaxNewTokens = 32, double Temperature = 1.0, int BatchSize = 32)
{
    public void Validate()
    {
        if (PromptCount < 1) throw new ArgumentOutOfRangeException(nameof(PromptCount), PromptCount, "evaluate at least one prompt");
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be at least 1");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be a finite number ≥ 0");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
    }
}

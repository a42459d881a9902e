using AlignSharp.Data;
using AlignSharp.Generation;
using AlignSharp.Modeling;
using AlignSharp.Rewards;
using AlignSharp.Scoring;
using AlignSharp.Tasks;

namespace AlignSharp.Evaluation;

/// <summary>
/// Samples completions for a task's held-out prompts and scores them with the task's true reward and, optionally,
/// against a reference model. Prompts are tokenised as in training (<see cref="DatasetTokenizer.TokenizeText"/>),
/// so the policy sees at evaluation exactly what it saw in training.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(string name, ModelFolder policy, IBuiltInTask task, EvaluationOptions? options = null, ModelFolder? reference = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(task);
        options ??= new EvaluationOptions();
        options.Validate();
        CausalLM model = policy.CausalLM;
        var tokenizer = policy.Tokenizer.Tokenizer;
        if (reference is not null && reference.Tokenizer.Tokenizer.VocabSize != tokenizer.VocabSize)
            throw new ArgumentException($"the reference {reference.Path} has another tokenizer than the policy {policy.Path}; the KL needs the same token ids");

        IReadOnlyList<string> prompts = task.Prompts(options.PromptCount, Split.HeldOut, options.Seed);
        var promptTokenizer = new DatasetTokenizer(tokenizer);
        var promptIds = prompts.Select(p => (IReadOnlyList<int>)promptTokenizer.TokenizeText(p, "").PromptIds.ToArray()).ToArray();

        bool wasTraining = model.training;
        model.eval();
        var generated = new List<GeneratedSequence>(prompts.Count);
        try
        {
            var generator = new SequenceGenerator(model, tokenizer);
            for (int start = 0; start < prompts.Count; start += options.BatchSize)
            {
                var batch = promptIds.Skip(start).Take(options.BatchSize).ToArray();
                generated.AddRange(generator.Generate(batch, new GenerationOptions(
                    MaxNewTokens: options.MaxNewTokens, Temperature: options.Temperature, Seed: options.Seed + start)));
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }

        var inputs = prompts.Select((p, i) => new RewardInput(p, generated[i].Text ?? "")).ToArray();
        IReadOnlyList<double> rewards = task.TrueReward.ScoreChecked(inputs);
        TaskEvaluation evaluation = task.Evaluate(inputs);

        double[]? logRatios = null;
        if (reference is not null)
        {
            var rows = promptIds.Select((ids, i) => new ScoringRow(ids, generated[i].TokenIds)).ToArray();
            var scoringOptions = new ScoringOptions(MaxBatchRows: options.BatchSize);
            var policyScores = new CompletionScorer(model, scoringOptions).ScoreMany(rows);
            var referenceScores = new CompletionScorer(reference.CausalLM, scoringOptions).ScoreMany(rows);
            logRatios = policyScores.Select((s, i) => s.SumLogProb - referenceScores[i].SumLogProb).ToArray();
            evaluation = evaluation with { KlToReference = logRatios.Average() };
        }

        var samples = inputs.Select((input, i) => new EvaluatedSample(input.Prompt, input.Completion, rewards[i], logRatios?[i])).ToArray();
        return new PolicyEvaluation(name, evaluation, options, samples);
    }
}

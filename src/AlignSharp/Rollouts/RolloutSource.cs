using System.Diagnostics;
using AlignSharp.Data;
using AlignSharp.Generation;
using AlignSharp.Modeling;
using AlignSharp.Rewards;
using AlignSharp.Tasks;
using AlignSharp.Text;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Rollouts;

/// <summary>
/// The policy as the data source (DESIGN.md, "Online methods"): every <see cref="RolloutPlan.UpdatesPerGeneration"/>
/// optimizer steps it takes the next prompts, samples <c>num_generations</c> completions of each from the current
/// weights with the KV-cache generator, scores them, computes the reference's (and, when a generation feeds more than
/// one update, the sampling policy's) log-probs without gradients, and turns rewards into advantages; each step then
/// gets its slice of that generation. One process, one set of weights: nothing to synchronise.
/// </summary>
/// <remarks>
/// Resume is exact by construction: generation g reads prompts g·P … g·P + P − 1 of the seeded per-epoch prompt
/// order and samples with a seed derived from (seed, g), so only a generation that is part-way used at a checkpoint
/// must be stored; it is, in <c>rollout_state.json</c>.
/// </remarks>
public sealed class RolloutSource : IStepSource<RolloutExample>
{
    public const string StateFileName = "rollout_state.json";

    readonly CausalLM _policy;
    readonly ITokenizer _tokenizer;
    readonly IReadOnlyList<RolloutPrompt> _prompts;
    readonly RolloutOptions _options;
    readonly RolloutRewards _rewards;
    readonly AdvantageEstimator _advantages;
    readonly IReadOnlyList<int> _stopTokenIds;
    readonly int _seed;
    readonly int _paddingId;
    readonly int _chunkPositions;
    readonly CausalLM? _reference;
    readonly Action<RolloutGeneration>? _onGeneration;
    RolloutBuffer? _buffer;
    int _permutationEpoch = -1;
    int[] _permutation = [];

    public RolloutSource(CausalLM policy, ITokenizer tokenizer, IReadOnlyList<RolloutPrompt> prompts, RolloutPlan plan, RolloutOptions options,
        RolloutRewards rewards, AdvantageEstimator advantages, IReadOnlyList<int> stopTokenIds, int seed, int paddingId, int chunkPositions,
        CausalLM? reference = null, Action<RolloutGeneration>? onGeneration = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _prompts = prompts ?? throw new ArgumentNullException(nameof(prompts));
        Plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _rewards = rewards ?? throw new ArgumentNullException(nameof(rewards));
        _advantages = advantages ?? throw new ArgumentNullException(nameof(advantages));
        _stopTokenIds = stopTokenIds ?? throw new ArgumentNullException(nameof(stopTokenIds));
        if (prompts.Count != plan.PromptCount) throw new ArgumentException($"the plan is for {plan.PromptCount} prompts, {prompts.Count} were given");
        if (stopTokenIds.Count == 0) throw new ArgumentException("no stop token: completions could never end before max_completion_length", nameof(stopTokenIds));
        _seed = seed;
        _paddingId = paddingId;
        _chunkPositions = chunkPositions;
        _reference = reference;
        _onGeneration = onGeneration;
    }

    public RolloutPlan Plan { get; }

    public int ExampleCount => Plan.PromptCount;
    public int MicroBatchSize => Plan.MicroBatchSize;
    public int AccumulationSteps => Plan.AccumulationSteps;
    public int StepsPerEpoch => Plan.StepsPerEpoch;
    public double? TokensPerStep => null;

    public DataPosition PositionAfter(int completedSteps)
    {
        // Prompts drawn so far: every generation begun (a part-used one has drawn its prompts).
        int generations = (completedSteps + Plan.UpdatesPerGeneration - 1) / Plan.UpdatesPerGeneration;
        long drawn = (long)generations * Plan.PromptsPerGeneration;
        return new DataPosition((int)(drawn / Plan.PromptCount), completedSteps % Plan.UpdatesPerGeneration, (int)(drawn % Plan.PromptCount), completedSteps);
    }

    public StepBatch<RolloutExample> Step(int completedSteps)
    {
        int generation = completedSteps / Plan.UpdatesPerGeneration;
        int offset = completedSteps % Plan.UpdatesPerGeneration;
        if (_buffer?.Generation != generation)
        {
            if (offset != 0)
                throw new InvalidOperationException($"step {completedSteps + 1} continues generation {generation}, which this source does not hold (a resume without {StateFileName}?)");
            _buffer = Generate(generation, completedSteps + 1);
        }
        int slice = offset % Plan.SlicesPerGeneration;
        var examples = _buffer.Examples.Skip(slice * Plan.CompletionsPerStep).Take(Plan.CompletionsPerStep);
        // The first update since sampling: the sampling policy is the current one, so the ratio's denominator is the
        // current log-prob itself (detached) and the ratio is exactly 1.
        if (offset == 0) examples = examples.Select(e => e with { OldLogProbs = null });
        var microBatches = examples.Chunk(Plan.MicroBatchSize).Select(c => (IReadOnlyList<RolloutExample>)c).ToArray();
        return new StepBatch<RolloutExample>(microBatches, offset == 0 ? _buffer.Metrics : new Dictionary<string, double>()) { ReportStepTime = true };
    }

    public void SaveState(string checkpointFolder, int completedSteps)
    {
        int generation = completedSteps / Plan.UpdatesPerGeneration;
        bool partUsed = completedSteps % Plan.UpdatesPerGeneration != 0;
        if (partUsed && _buffer?.Generation != generation)
            throw new InvalidOperationException($"checkpoint at step {completedSteps}: generation {generation} is part-used but not held");
        RolloutStateFile.Save(Path.Combine(checkpointFolder, StateFileName), new RolloutStateFile.State(
            generation, Plan.PromptsPerGeneration, Plan.NumGenerations, Plan.UpdatesPerGeneration, _seed, partUsed ? _buffer : null));
    }

    public void RestoreState(string checkpointFolder, int completedSteps)
    {
        string path = Path.Combine(checkpointFolder, StateFileName);
        var state = RolloutStateFile.Load(path);
        void Require(bool same, string what, object saved, object current)
        {
            if (!same) throw new InvalidOperationException($"cannot resume from '{checkpointFolder}': its rollouts had {what} = {saved}, this run has {current}");
        }
        Require(state.PromptsPerGeneration == Plan.PromptsPerGeneration, "prompts per generation", state.PromptsPerGeneration, Plan.PromptsPerGeneration);
        Require(state.NumGenerations == Plan.NumGenerations, "num_generations", state.NumGenerations, Plan.NumGenerations);
        Require(state.UpdatesPerGeneration == Plan.UpdatesPerGeneration, "updates per generation", state.UpdatesPerGeneration, Plan.UpdatesPerGeneration);
        Require(state.Seed == _seed, "seed", state.Seed, _seed);
        bool partUsed = completedSteps % Plan.UpdatesPerGeneration != 0;
        if (partUsed && state.Buffer?.Generation != completedSteps / Plan.UpdatesPerGeneration)
            throw new InvalidDataException($"{path}: step {completedSteps} is part-way through generation {completedSteps / Plan.UpdatesPerGeneration}, but the file does not hold it");
        _buffer = partUsed ? state.Buffer : null;
    }

    /// <summary>Samples, scores and prepares generation <paramref name="generation"/>.</summary>
    RolloutBuffer Generate(int generation, int firstStep)
    {
        int groupSize = Plan.NumGenerations;
        int[] promptIndices = Enumerable.Range(0, Plan.PromptsPerGeneration).Select(i => PromptAt((long)generation * Plan.PromptsPerGeneration + i)).ToArray();
        int[] rowPrompts = promptIndices.SelectMany(p => Enumerable.Repeat(p, groupSize)).ToArray();

        // 1. Sample from the current weights (eval mode: no dropout; no gradients inside the generator).
        var clock = Stopwatch.StartNew();
        var generated = new List<GeneratedSequence>(rowPrompts.Length);
        bool wasTraining = _policy.training;
        _policy.eval();
        try
        {
            var generator = new SequenceGenerator(_policy, _tokenizer);
            int chunk = _options.GenerationBatchSize ?? rowPrompts.Length;
            for (int start = 0; start < rowPrompts.Length; start += chunk)
            {
                var ids = rowPrompts.Skip(start).Take(chunk).Select(p => _prompts[p].Ids).ToArray();
                generated.AddRange(generator.Generate(ids, new GenerationOptions(
                    MaxNewTokens: _options.MaxCompletionLength, Temperature: _options.Temperature, TopK: _options.TopK, TopP: _options.TopP,
                    StopTokenIds: _stopTokenIds, Seed: SamplingSeed(generation, start))));
            }
        }
        finally
        {
            if (wasTraining) _policy.train();
        }
        double generationSeconds = clock.Elapsed.TotalSeconds;

        // 2. Sequences with their masks: the completion's tokens up to and including the stop token (from its length).
        var sequences = new TokenizedSequence[rowPrompts.Length];
        var truncated = new bool[rowPrompts.Length];
        for (int i = 0; i < sequences.Length; i++)
        {
            IReadOnlyList<int> prompt = _prompts[rowPrompts[i]].Ids;
            int[] completion = generated[i].TokenIds;
            truncated[i] = generated[i].FinishReason == FinishReason.Length;
            bool trained = !(truncated[i] && _options.MaskTruncatedCompletions);
            int[] ids = [.. prompt, .. completion];
            bool[] mask = ids.Select((_, t) => trained && t >= prompt.Count).ToArray();
            sequences[i] = new TokenizedSequence(ids, mask, prompt.Count);
        }

        // 3. Rewards.
        clock.Restart();
        var inputs = rowPrompts.Select((p, i) => new RewardInput(_prompts[p].Text, generated[i].Text ?? "")
        {
            CompletionIds = generated[i].TokenIds,
            Row = _prompts[p].Row?.Columns,
            Source = _prompts[p].Row?.Source.ToString(),
        }).ToArray();
        var (rewards, metrics) = _rewards.Score(inputs);
        double rewardSeconds = clock.Elapsed.TotalSeconds;

        // 4. Log-probs without gradients: the reference's (β > 0), and the sampling policy's when the generation feeds
        //    updates after the first (the first uses the current log-probs, detached).
        clock.Restart();
        int forwardRows = Math.Max(Plan.MicroBatchSize, 1);
        float[][]? referenceLogProbs = _reference is null ? null
            : CompletionTokenLogProbs.PerCompletionToken(_reference, sequences, _paddingId, _options.Temperature, _chunkPositions, forwardRows);
        float[][]? oldLogProbs = Plan.UpdatesPerGeneration == 1 ? null
            : CompletionTokenLogProbs.PerCompletionToken(_policy, sequences, _paddingId, _options.Temperature, _chunkPositions, forwardRows);
        double referenceSeconds = clock.Elapsed.TotalSeconds;

        // 5. Advantages.
        float[][] samplingLogProbs = generated.Select(g => g.SamplingLogProbs).ToArray();
        RolloutAdvantages advantages = _advantages(new RolloutScores(rewards, groupSize, samplingLogProbs, referenceLogProbs));
        if (advantages.Advantages.Length != rewards.Length)
            throw new InvalidOperationException($"the advantage estimator returned {advantages.Advantages.Length} advantages for {rewards.Length} completions");
        for (int i = 0; i < rewards.Length; i++)
            if (!double.IsFinite(advantages.Advantages[i]))
                throw new InvalidOperationException($"advantage of completion {i} (prompt {inputs[i].Source ?? rowPrompts[i].ToString()}) is {advantages.Advantages[i]}");

        var examples = sequences.Select((s, i) => new RolloutExample(s, rowPrompts[i], i / groupSize, inputs[i].Completion, truncated[i],
            rewards[i], advantages.Advantages[i], samplingLogProbs[i], oldLogProbs?[i], referenceLogProbs?[i])).ToArray();

        // 6. What happened, with TRL's names.
        AddGenerationMetrics(metrics, examples, groupSize);
        foreach (var (name, value) in advantages.Metrics) metrics[name] = value;
        long generatedTokens = examples.Sum(e => (long)e.CompletionLength);
        metrics["timing/generation"] = generationSeconds;
        metrics["timing/rewards"] = rewardSeconds;
        metrics["timing/reference"] = referenceSeconds;
        metrics["tokens_per_second/generation"] = generatedTokens / Math.Max(generationSeconds, 1e-9);
        var buffer = new RolloutBuffer(generation, examples, metrics);
        _onGeneration?.Invoke(new RolloutGeneration(generation, firstStep, examples, rowPrompts.Select(p => _prompts[p].Text).ToArray(), metrics));
        return buffer;
    }

    static void AddGenerationMetrics(Dictionary<string, double> metrics, RolloutExample[] examples, int groupSize)
    {
        double[] rewards = examples.Select(e => e.Reward).ToArray();
        var groupStds = Enumerable.Range(0, rewards.Length / groupSize)
            .Select(g => Objectives.GroupAdvantages.SampleStd(rewards, g * groupSize, groupSize)).ToArray();
        metrics["reward"] = rewards.Average();
        metrics["reward_std"] = groupStds.Average();
        metrics["frac_reward_zero_std"] = groupStds.Count(s => s <= 1e-8) / (double)groupStds.Length;
        int[] lengths = examples.Select(e => e.CompletionLength).ToArray();
        int[] terminated = examples.Where(e => !e.Truncated).Select(e => e.CompletionLength).ToArray();
        metrics["completions/mean_length"] = lengths.Average();
        metrics["completions/min_length"] = lengths.Min();
        metrics["completions/max_length"] = lengths.Max();
        metrics["completions/clipped_ratio"] = examples.Count(e => e.Truncated) / (double)examples.Length;
        metrics["completions/mean_terminated_length"] = terminated.Length == 0 ? 0 : terminated.Average();
    }

    /// <summary>The prompt at position <paramref name="drawn"/> of the endless sequence of seeded per-epoch prompt orders.</summary>
    int PromptAt(long drawn)
    {
        int epoch = (int)(drawn / Plan.PromptCount);
        if (epoch != _permutationEpoch)
        {
            _permutation = EpochPermutation.Create(Plan.PromptCount, _seed, epoch);
            _permutationEpoch = epoch;
        }
        return _permutation[drawn % Plan.PromptCount];
    }

    /// <summary>A sampling seed for each generation call, from the run's seed alone: a resumed run samples the same completions.</summary>
    long SamplingSeed(int generation, int firstRow) =>
        unchecked((long)StableHash.Mix64(StableHash.Mix64((ulong)_seed ^ 0x5EED_0F_5A_4D_50_1EUL) ^ ((ulong)generation << 20) ^ (ulong)firstRow) & long.MaxValue);
}

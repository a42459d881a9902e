using AlignSharp.Data;
using AlignSharp.Generation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Rollouts;

public sealed class RolloutSourceTests
{
    static RolloutSource Source(ModelFolder folder, RolloutPrompts.Loaded prompts, RolloutOptions options, IRewardFunction reward, int paddingId, int batch = 8) =>
        new(folder.CausalLM, folder.Tokenizer.Tokenizer, prompts.Prompts, new RolloutPlan(prompts.Prompts.Count, batch, 1, options), options,
            new RolloutRewards([reward]), scores => new RolloutAdvantages(GroupAdvantages.Compute(scores.Rewards, scores.GroupSize, RewardScaling.Group), new Dictionary<string, double>()),
            StopTokenIds.For(folder), seed: 1, paddingId, chunkPositions: 64);

    static RolloutPrompts.Loaded Prompts(ModelFolder folder, string path) =>
        RolloutPrompts.Load(path, new DatasetTokenizer(folder.Tokenizer.Tokenizer), null, folder.ChatContext, null);

    [Fact]
    public void MasksComeFromLengthsSoTheStopTokenIsTrainedEvenWhenItIsThePadId()
    {
        using var data = new RolloutTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        int eos = folder.Tokenizer.Tokenizer.EosTokenId!.Value;
        // A model that can only say EOS after its first token would be ideal; a random one with a long limit ends some rows on EOS.
        // Force it: EOS is the only stop id, and a stop id that is also the pad id must still be trained.
        var options = new RolloutOptions { NumGenerations = 4, MaxCompletionLength = 64 };
        var source = Source(folder, Prompts(folder, data.PromptsPath), options, RolloutTestData.DigitShare, paddingId: eos);
        var examples = source.Step(0).MicroBatches.SelectMany(b => b).ToArray();
        Assert.Equal(8, examples.Length);
        foreach (RolloutExample e in examples)
        {
            TokenizedSequence s = e.Sequence;
            Assert.All(Enumerable.Range(0, s.PromptLength), t => Assert.False(s.LossMask[t]));
            Assert.All(Enumerable.Range(s.PromptLength, s.CompletionLength), t => Assert.True(s.LossMask[t]));
            Assert.Equal(e.CompletionLength, e.SamplingLogProbs.Length);
            Assert.Equal(e.Truncated, s.InputIds[^1] != eos);
        }
        // Whatever the outcome of sampling, a stopped row ends on EOS and trains on it; rows padded with EOS do not.
        using var scope = NewDisposeScope();
        using SequenceBatch batch = BatchCollator.Collate(examples.Select(e => e.Sequence).ToArray(), eos);
        long trained = batch.LossMask.sum().item<long>();
        Assert.Equal(examples.Sum(e => e.CompletionLength), trained);
    }

    [Fact]
    public void TruncatedCompletionsAreCountedAndCanBeLeftOutOfTheLoss()
    {
        using var data = new RolloutTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        var options = new RolloutOptions { NumGenerations = 4, MaxCompletionLength = 2, MaskTruncatedCompletions = true };
        var step = Source(folder, Prompts(folder, data.PromptsPath), options, RolloutTestData.DigitShare, BatchCollator.PaddingId(folder.Tokenizer.Tokenizer)).Step(0);
        var examples = step.MicroBatches.SelectMany(b => b).ToArray();
        Assert.Equal(examples.Count(e => e.Truncated) / 8.0, step.Metrics["completions/clipped_ratio"]);
        Assert.All(examples.Where(e => e.Truncated), e => Assert.Equal(0, e.LossTokens));
        Assert.All(examples.Where(e => !e.Truncated), e => Assert.Equal(e.CompletionLength, e.LossTokens));
        Assert.Contains(examples, e => e.Truncated); // two tokens are too few for most samples of a random model
    }

    [Fact]
    public void ARewardThatReturnsTheWrongCountStopsTheRunNamingIt()
    {
        using var data = new RolloutTestData();
        var broken = new BrokenReward();
        var error = Assert.Throws<InvalidOperationException>(() => GrpoRecipe.Run(data.ModelDir, data.PromptsPath,
            new GrpoRecipeOptions { Online = RolloutTestData.Online(data.PathOf("out"), steps: 1) }, [broken]));
        Assert.Contains("reward \"broken\" returned 1 scores for 8 completions", error.Message);
    }

    [Fact]
    public void ANonFiniteRewardNamesThePromptRow()
    {
        using var data = new RolloutTestData();
        var nan = new DelegateReward("nan_reward", _ => double.NaN);
        var error = Assert.Throws<InvalidOperationException>(() => GrpoRecipe.Run(data.ModelDir, data.PromptsPath,
            new GrpoRecipeOptions { Online = RolloutTestData.Online(data.PathOf("out"), steps: 1) }, [nan]));
        Assert.Contains("reward \"nan_reward\" returned NaN for completion 0", error.Message);
        Assert.Contains("prompts.jsonl:", error.Message);
    }

    [Fact]
    public void EqualRewardsInEveryGroupGiveNoGradientAndAWarning()
    {
        using var data = new RolloutTestData();
        var lines = new List<string>();
        var options = new GrpoRecipeOptions { Online = RolloutTestData.Online(data.PathOf("out"), steps: 3) with { ZeroStdWarningGenerations = 3 } };
        var result = GrpoRecipe.Run(data.ModelDir, data.PromptsPath, options, [new DelegateReward("constant", _ => 1.0)], new RecipeCallbacks { Log = lines.Add });
        foreach (MetricsRow row in result.Training.LogHistory)
        {
            Assert.Equal(1.0, row.Values["frac_reward_zero_std"]);
            Assert.Equal(0.0, row.Values["grad_norm"]);
        }
        Assert.Contains(lines, l => l.StartsWith("warning: 3 generations in a row", StringComparison.Ordinal));
    }

    [Fact]
    public void BetaZeroLoadsNoReferenceAndBetaAboveZeroLogsTheKl()
    {
        using var data = new RolloutTestData();
        var lines = new List<string>();
        var result = GrpoRecipe.Run(data.ModelDir, data.PromptsPath, new GrpoRecipeOptions
        {
            Online = RolloutTestData.Online(data.PathOf("beta"), steps: 2),
            Grpo = new GrpoOptions { Beta = 0.1 },
        }, [RolloutTestData.DigitShare], new RecipeCallbacks { Log = lines.Add });
        Assert.Contains(lines, l => l.Contains("reference: ", StringComparison.Ordinal));
        // Step 1: the policy is the reference, so the KL is 0 (k3 of equal log-probs); after an update it is not.
        Assert.True(Math.Abs(result.Training.LogHistory[0].Values["kl"]) < 1e-6, $"{result.Training.LogHistory[0].Values["kl"]}");
        Assert.True(result.Training.LogHistory[1].Values["kl"] > 0);
    }

    [Fact]
    public void ANonFiniteKlStopsTheStepNamingTheCompletions()
    {
        using var data = new RolloutTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        var options = new RolloutOptions { NumGenerations = 4, MaxCompletionLength = 4 };
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        var examples = Source(folder, Prompts(folder, data.PromptsPath), options, RolloutTestData.DigitShare, paddingId).Step(0).MicroBatches[0]
            .Select(e => e with { RefLogProbs = e.SamplingLogProbs.ToArray() }).ToArray();
        examples[2] = examples[2] with { RefLogProbs = examples[2].RefLogProbs!.Select(_ => float.NaN).ToArray() };
        var context = new OnlineObjectiveContext(folder.CausalLM, paddingId, 1.0, 64, 4, () => "checkpoint-7");
        var objective = GrpoRecipe.Create(new GrpoRecipeOptions { Grpo = new GrpoOptions { Beta = 0.1 } }).Objective(context);
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TrainingDivergedException>(() => objective.Loss(examples, new MicroBatchContext(1, 0, 1, 8, 100, 20)));
        Assert.Contains("completion 2 (prompt", error.Message);
        Assert.Equal("checkpoint-7", error.LastGoodCheckpoint);
    }

    sealed class BrokenReward : IRewardFunction
    {
        public string Name => "broken";
        public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch) => [1.0];
    }
}

public sealed class RolloutPromptsTests
{
    [Fact]
    public void MessagePromptsAreRenderedWithTheGenerationPromptAndChatModelsStopAtEndOfTurn()
    {
        using var data = new RolloutTestData();
        string path = data.PathOf("chat.jsonl");
        File.WriteAllText(path, "{\"prompt\": [{\"role\": \"user\", \"content\": \"What is 2 plus 3?\"}], \"answer\": \"5\"}\n");
        using var folder = ModelFolder.Load(data.ModelDir);
        var template = folder.ChatTemplate();
        var loaded = RolloutPrompts.Load(path, new DatasetTokenizer(folder.Tokenizer.Tokenizer, template, folder.ChatContext), template, folder.ChatContext, null);

        string rendered = template.Render([AlignSharp.Text.ChatTemplates.ChatMessage.User("What is 2 plus 3?")], addGenerationPrompt: true, folder.ChatContext).Text;
        Assert.EndsWith("<|im_start|>assistant\n", rendered);
        Assert.Equal(folder.Tokenizer.Tokenizer.Encode(rendered, addSpecialTokens: false), loaded.Prompts[0].Ids);
        Assert.Equal(rendered, loaded.Prompts[0].Text);
        Assert.Equal(["answer"], loaded.OtherColumns);
        Assert.Equal("5", loaded.Prompts[0].Row!.Column("answer"));
        Assert.Contains(folder.Tokenizer.Tokenizer.TokenToId("<|im_end|>")!.Value, StopTokenIds.For(folder, template));
    }

    [Fact]
    public void ARowWithoutAPromptNamesFileLineAndColumn()
    {
        using var data = new RolloutTestData();
        string path = data.PathOf("bad.jsonl");
        File.WriteAllText(path, "{\"prompt\": \"a\"}\n{\"question\": \"b\"}\n");
        using var folder = ModelFolder.Load(data.ModelDir);
        var error = Assert.Throws<DataFormatException>(() => RolloutPrompts.Load(path, new DatasetTokenizer(folder.Tokenizer.Tokenizer), null, folder.ChatContext, null));
        Assert.Contains($"{path}:2", error.Message);
        Assert.Contains("prompt", error.Message);
    }
}

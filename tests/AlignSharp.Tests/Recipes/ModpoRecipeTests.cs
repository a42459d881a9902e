using System.Text.Json;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Scoring;
using AlignSharp.Recipes;
using AlignSharp.Rewards;
using AlignSharp.Tasks;
using AlignSharp.Tests.Cli;
using AlignSharp.Training;

namespace AlignSharp.Tests.Recipes;

/// <summary>The MODPO recipe on a tiny model: DPO equivalence end to end, the cached pass, and the CLI.</summary>
public sealed class ModpoRecipeTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-modpo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string In(string name) => Path.Combine(_folder, name);

    static RecipeOptions Common(string output) => new()
    {
        Training = new TrainingOptions
        {
            OutputDir = output, MaxSteps = 3, LearningRate = 1e-3, PerDeviceTrainBatchSize = 4,
            LoggingSteps = 1, SaveSteps = 0, Seed = 3, LrSchedulerType = "constant",
        },
    };

    void WriteData()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        TaskDataFiles.WritePreferencePairs(In("pairs.jsonl"), new SentimentTask().PreferencePairs(12, seed: 2));
    }

    static MetricsRow[] Metrics(string output) =>
        File.ReadLines(Path.Combine(output, MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).ToArray();

    [Theory]
    [InlineData(PairPasses.Concatenated)]
    [InlineData(PairPasses.Split)]
    public void WeightOneWithoutMarginScorersTrainsExactlyLikeDpo(PairPasses passes)
    {
        WriteData();
        // Both recipes run the same passes here, so the curves agree to float rounding; split against concatenated is
        // tested separately (TheSplitStepTrainsTheSameCurveAsTheConcatenatedStep, here and in DpoRecipeTests).
        DpoRecipe.Run(In("model"), In("pairs.jsonl"), new DpoRecipeOptions { Common = Common(In("dpo")), Dpo = new DpoOptions { Beta = 0.2 }, PairSteps = new(passes) });
        ModpoRecipe.Run(In("model"), In("pairs.jsonl"), new ModpoRecipeOptions { Common = Common(In("modpo")), Modpo = new ModpoOptions { Beta = 0.2, Weights = [1.0] }, PairSteps = new(passes) });

        MetricsRow[] dpo = Metrics(In("dpo")), modpo = Metrics(In("modpo"));
        Assert.Equal(3, dpo.Length);
        Assert.Equal(dpo.Length, modpo.Length);
        for (int i = 0; i < dpo.Length; i++)
            foreach (string key in new[] { MetricNames.Loss, MetricNames.RewardsMargins, MetricNames.LogpsChosen })
                Assert.Equal(dpo[i].Values[key], modpo[i].Values[key], 6);
        Assert.NotEqual(dpo[0].Values[MetricNames.Loss], dpo[^1].Values[MetricNames.Loss]); // the policy moved: later steps compare updates too
    }

    [Fact]
    public void TheSplitStepTrainsTheSameCurveAsTheConcatenatedStep()
    {
        WriteData();
        MetricsRow[] Train(PairPasses passes)
        {
            string output = In(passes.ToName());
            var log = new List<string>();
            ModpoRecipe.Run(In("model"), In("pairs.jsonl"), new ModpoRecipeOptions
            {
                // Micro-batches of 2 pairs accumulated to 4, so the pair normaliser is not the micro-batch's size.
                Common = Common(output) with { Training = Common(output).Training with { PerDeviceTrainBatchSize = 2, GradientAccumulationSteps = 2 } },
                Modpo = new ModpoOptions { Beta = 0.2, Weights = [0.7, 0.3] },
                MarginScorers = ["length_tokens"],
                PairSteps = new(passes),
            }, new RecipeCallbacks { Log = log.Add });
            Assert.Contains($"MODPO passes: {passes.ToName()}", log.Select(l => l.Split(" (")[0])); // the option reached the step
            return Metrics(output);
        }

        MetricsRow[] concatenated = Train(PairPasses.Concatenated), split = Train(PairPasses.Split);
        Assert.Equal(3, concatenated.Length);
        MetricCurves.AssertClose(concatenated, split, new[] { MetricNames.Loss, "grad_norm", MetricNames.RewardsMargins, MetricNames.LogpsRejected, ModpoMetricNames.Logits });
        Assert.NotEqual(concatenated[0].Values[MetricNames.Loss], concatenated[^1].Values[MetricNames.Loss]);
        Assert.NotEqual(0, concatenated[0].Values[ModpoMetricNames.MarginRewardsChosen] - concatenated[0].Values[ModpoMetricNames.MarginRewardsRejected], 3);
    }

    [Fact]
    public void MarginsAreComputedOnceCachedAndReadBack()
    {
        WriteData();
        var options = new ModpoRecipeOptions
        {
            Common = Common(In("out")),
            Modpo = new ModpoOptions { Beta = 0.2, Weights = [0.5, 0.3, 0.2] },
            MarginScorers = ["length_tokens", "length_characters"],
        };
        var log = new List<string>();
        ModpoRecipe.Run(In("model"), In("pairs.jsonl"), options, new RecipeCallbacks { Log = log.Add });
        Assert.Contains(log, l => l.StartsWith("reference log-probs and margins: computed", StringComparison.Ordinal));

        // The cached margins are the scorers' values: −characters of each chosen completion, from the task's text.
        using var cache = JsonDocument.Parse(File.ReadAllText(Path.Combine(In("out"), ModpoPassCache.FileName)));
        var pairs = File.ReadLines(In("pairs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var chosenMargins = cache.RootElement.GetProperty("ChosenMargins");
        Assert.Equal(pairs.Length, chosenMargins.GetArrayLength());
        for (int i = 0; i < pairs.Length; i++)
        {
            string chosen = pairs[i].GetProperty("chosen").GetString()!;
            Assert.Equal(-chosen.Length, chosenMargins[i][1].GetDouble());
            Assert.True(chosenMargins[i][0].GetDouble() <= -1); // at least EOS
        }
        Assert.True(Metrics(In("out")).All(r => r.Values.ContainsKey(ModpoMetricNames.MarginRewardsChosen)));

        log.Clear();
        ModpoRecipe.Run(In("model"), In("pairs.jsonl"), options with { Common = Common(In("out")) with { Training = Common(In("out")).Training with { MaxSteps = 1 } } },
            new RecipeCallbacks { Log = log.Add });
        Assert.Contains(log, l => l.StartsWith("reference log-probs and margins: read from", StringComparison.Ordinal));

        log.Clear();
        ModpoRecipe.Run(In("model"), In("pairs.jsonl"), options with { MarginScorers = ["length_tokens", "length_words"] }, new RecipeCallbacks { Log = log.Add });
        Assert.Contains(log, l => l.StartsWith("reference log-probs and margins: computed", StringComparison.Ordinal));
    }

    [Fact]
    public void WeightsAndScorersMustAgree()
    {
        WriteData();
        var error = Assert.Throws<ArgumentException>(() => ModpoRecipe.Run(In("model"), In("pairs.jsonl"),
            new ModpoRecipeOptions { Common = Common(In("out")), Modpo = new ModpoOptions { Weights = [0.5, 0.5] } }));
        Assert.Contains("1 margin scorer", error.Message);
        var unknown = Assert.Throws<ArgumentException>(() => ModpoMarginScorers.Create("lenght", 0.1));
        Assert.Contains("length_tokens", unknown.Message);
    }

    [Fact]
    public void ImplicitDpoRewardIsZeroForAModelAgainstItselfAndBetaTimesTheLogRatioOtherwise()
    {
        TinyModelFolder.Create(In("a"), seed: 1);
        TinyModelFolder.Create(In("b"), seed: 2);
        MarginInput[] inputs = [new("The plot was", " great.", [1, 5, 6], [7, 8, 2]), new("x", " y", [1, 9], [10, 2])];
        using (var self = new ImplicitDpoReward(In("a"), In("a"), 0.5))
            Assert.All(self.Score(inputs), v => Assert.Equal(0.0, v, 9));

        using var a = PretrainedModels.LoadCausalLM(In("a"));
        using var b = PretrainedModels.LoadCausalLM(In("b"));
        var rows = inputs.Select(i => new ScoringRow(i.PromptIds, i.CompletionIds)).ToArray();
        var la = new CompletionScorer(a).ScoreMany(rows);
        var lb = new CompletionScorer(b).ScoreMany(rows);
        using var reward = new ImplicitDpoReward(In("a"), In("b"), 0.5);
        var scores = reward.Score(inputs);
        for (int i = 0; i < inputs.Length; i++)
            Assert.Equal(0.5 * (la[i].SumLogProb - lb[i].SumLogProb), scores[i], 5);
    }

    [Fact]
    public void CommandLineRunsWithYamlKeysAndRejectsAZeroWeight()
    {
        WriteData();
        File.WriteAllText(In("modpo.yaml"),
            "learning_rate: 1.0e-3\nper_device_train_batch_size: 4\nmax_steps: 2\nlogging_steps: 1\nsave_steps: 0\nbeta: 0.2\nloss_type: hinge\nweights: \"0.7, 0.3\"\nmargin_scorers: length_tokens\n");
        var run = CliRunner.RunOk("modpo", "--model", In("model"), "--data", In("pairs.jsonl"), "--output", In("out"), "--config", In("modpo.yaml"), "--threads", "1");
        Assert.Contains("2 steps; model saved", run.StandardOutput);
        Assert.True(File.Exists(Path.Combine(In("out"), ModpoPassCache.FileName)));

        var zero = CliRunner.Run("modpo", "--model", In("model"), "--data", In("pairs.jsonl"), "--output", In("zero"), "--config", In("modpo.yaml"), "--weights", "0, 1");
        Assert.Equal(1, zero.ExitCode);
        string message = System.Text.RegularExpressions.Regex.Replace(zero.StandardError, @"\s+", " ");
        Assert.Contains("w_k", message);
        Assert.Contains("must be > 0", message);
        Assert.False(Directory.Exists(In("zero")));
    }
}

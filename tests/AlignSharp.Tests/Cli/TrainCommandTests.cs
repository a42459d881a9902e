using AlignSharp.Recipes;
using AlignSharp.Tasks;
using AlignSharp.Training;

namespace AlignSharp.Tests.Cli;

/// <summary>The training commands run as a user runs them: a real child process on a tiny model.</summary>
public sealed class TrainCommandTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string In(string name) => Path.Combine(_folder, name);

    [Fact]
    public void SftEndToEnd()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        TaskDataFiles.WriteSft(In("sft.jsonl"), new SentimentTask().SftDemonstrations(12, 0.25, seed: 2));
        File.WriteAllText(In("sft.yaml"), "learning_rate: 3.0e-3\nper_device_train_batch_size: 4\nmax_steps: 100\nlogging_steps: 1\nsave_steps: 0\n");

        var dry = CliRunner.RunOk("sft", "--model", In("model"), "--data", In("sft.jsonl"), "--output", In("out"), "--config", In("sft.yaml"), "--dry-run");
        Assert.Contains("effective batch: 4 rows = 4 sequences", dry.StandardOutput);
        Assert.Contains("⟦", dry.StandardOutput);
        Assert.Contains("<|eos|>⟧", dry.StandardOutput);
        Assert.False(Directory.Exists(In("out")));

        // --max-steps overrides the YAML's 100.
        var run = CliRunner.RunOk("sft", "--model", In("model"), "--data", In("sft.jsonl"), "--output", In("out"), "--config", In("sft.yaml"), "--max-steps", "3");
        Assert.Contains("3 steps; model saved", run.StandardOutput);
        var rows = File.ReadLines(Path.Combine(In("out"), MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).ToArray();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Step));
        foreach (string file in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "loss.png", "learning_rate.png" })
            Assert.True(File.Exists(Path.Combine(In("out"), file)), $"missing {file}");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(In("out"), "loss.png")).Take(4));
        using var trained = ModelFolder.Load(In("out"));
    }

    [Fact]
    public void GrpoEndToEndOnArithmeticPrompts()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        TaskDataFiles.WritePrompts(In("prompts.jsonl"), new ArithmeticTask().Prompts(6, Split.Train, seed: 2));
        string[] common = ["--model", In("model"), "--data", In("prompts.jsonl"), "--output", In("out"), "--reward", "arithmetic",
            "--per-device-train-batch-size", "8", "--num-generations", "4", "--max-completion-length", "6", "--logging-steps", "1", "--save-steps", "0"];

        var dry = CliRunner.RunOk(["grpo", .. common, "--dry-run"]);
        Assert.Contains("rollout plan: 2 prompts × 4 generations = 8 completions per generation", dry.StandardOutput);
        Assert.Contains("one generation from the starting model", dry.StandardOutput);
        Assert.Contains("reward", dry.StandardOutput);
        Assert.False(Directory.Exists(In("out")));

        var run = CliRunner.RunOk(["grpo", .. common, "--max-steps", "2", "--learning-rate", "1e-3"]);
        Assert.Contains("2 steps; model saved", run.StandardOutput);
        var rows = File.ReadLines(Path.Combine(In("out"), MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).ToArray();
        Assert.Equal([1, 2], rows.Select(r => r.Step));
        Assert.All(rows, r => Assert.True(r.Values.ContainsKey("rewards/arithmetic_correct/mean")));
        foreach (string file in new[] { "model.safetensors", "completions.jsonl", "reward.png", "completion_length.png", "entropy.png" })
            Assert.True(File.Exists(Path.Combine(In("out"), file)), $"missing {file}");

        var missing = CliRunner.Run("grpo", "--model", In("model"), "--data", In("prompts.jsonl"), "--output", In("out2"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("online methods need a reward: --reward SPEC", missing.StandardError + missing.StandardOutput);
    }

    [Fact]
    public void UnknownYamlKeyFailsBeforeAnythingRuns()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        TaskDataFiles.WritePreferencePairs(In("pairs.jsonl"), new SentimentTask().PreferencePairs(4, seed: 2));
        File.WriteAllText(In("dpo.yaml"), "beta: 0.1\nbetta: 0.2\n");
        var result = CliRunner.Run("dpo", "--model", In("model"), "--data", In("pairs.jsonl"), "--output", In("out"), "--config", In("dpo.yaml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown key 'betta'", result.StandardError.ReplaceLineEndings(" "));
        Assert.False(Directory.Exists(In("out")));
    }

    [Fact]
    public void EvalPrintsTheTableWithZeroKlAgainstItself()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        var result = CliRunner.RunOk("eval", "--model", In("model"), "--task", "sentiment", "--reference", In("model"), "--prompts", "4", "--max-new-tokens", "6");
        Assert.Contains("mean reward", result.StandardOutput);
        Assert.Contains("4 held-out prompts", result.StandardOutput);
        Assert.Matches(@"│\s+0\.00\s+│", result.StandardOutput);
    }

    [Fact]
    public void SkipInvalidDropsBadRowsAndSaysSo()
    {
        TinyModelFolder.Create(In("model"), seed: 1);
        File.WriteAllLines(In("pairs.jsonl"),
        [
            """{"prompt": "The plot was", "chosen": " great.", "rejected": " dull."}""",
            """{"prompt": "The plot was", "chosen": " same.", "rejected": " same."}""",
            """{"prompt": "The cast was", "chosen": " superb.", "rejected": " awful."}""",
        ]);
        var failed = CliRunner.Run("rm", "--model", In("model"), "--data", In("pairs.jsonl"), "--output", In("rm"), "--dry-run");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("pairs.jsonl:2", System.Text.RegularExpressions.Regex.Replace(failed.StandardError, @"\s+", ""));

        var dry = CliRunner.RunOk("rm", "--model", In("model"), "--data", In("pairs.jsonl"), "--output", In("rm"), "--dry-run", "--skip-invalid");
        Assert.Contains("3 rows read, 2 used", System.Text.RegularExpressions.Regex.Replace(dry.StandardOutput, @"\s+", " ")); // the console wraps at 80 columns
    }
}

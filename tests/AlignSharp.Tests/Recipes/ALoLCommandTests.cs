using AlignSharp.Cli.Commands;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Tasks;
using AlignSharp.Tests.Cli;

namespace AlignSharp.Tests.Recipes;

public sealed class ALoLCommandTests
{
    [Fact]
    public void TheShippedRecipeParsesToTheHhaSettings()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlignSharp.sln"))) dir = dir.Parent;
        string path = Path.Combine(dir!.FullName, "recipes", "alol.yaml");
        var options = ALoLCommand.Options(RecipeSettings.From(path, ALoLCommand.Keys, "alol", [("variant", "--variant", "a_lol_seq")]), "out");
        Assert.Equal(ALoLVariant.ALoLSeq, options.Loss.Variant); // the flag wins over the YAML
        Assert.Equal(0.9, options.Loss.ClipEpsilon);
        Assert.Equal(20, options.ValueFit.Epochs);
        options.Loss.Validate();
        options.Common.Training.Validate();
    }

    [Fact]
    public void TheCommandTrainsFromAScoredFile()
    {
        using var data = new RecipeTestData();
        string scored = data.PathOf("scored.jsonl");
        var prompts = new SentimentTask().Prompts(6, Split.Train, seed: 2);
        TaskDataFiles.WriteScored(scored, prompts.Select((p, i) => new ScoredExample(p, i % 2 == 0 ? " good." : " bad.", i % 2 == 0 ? 0.5 : 0.0)));
        string output = data.PathOf("alol");
        var result = CliRunner.RunOk("alol", "--model", data.ModelDir, "--data", scored, "--output", output, "--reward", "sentiment",
            "--max-steps", "2", "--per-device-train-batch-size", "2", "--threads", "1", "--variant", "a_lol");
        Assert.True(File.Exists(Path.Combine(output, "config.json")), result.StandardOutput + result.StandardError);
        Assert.True(File.Exists(Path.Combine(output, "alol_advantages.jsonl")));
    }
}

using AlignSharp.Cli;
using AlignSharp.Cli.Commands;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Recipes;

namespace AlignSharp.Tests.Cli;

public sealed class RecipeConfigTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-yaml-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Write(string text)
    {
        string path = Path.Combine(_folder, "recipe.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AnUnknownKeyIsAnErrorNamingTheKeyAndTheFile()
    {
        string path = Write("learning_rate: 1.0e-4\nlearnig_rate: 3\n");
        var error = Assert.Throws<InvalidDataException>(() => RecipeConfigFile.Read(path, RecipeKeys.Sft, "sft"));
        Assert.Contains("'learnig_rate'", error.Message);
        Assert.Contains($"{path}:2", error.Message);
        // A DPO key is unknown to SFT.
        Assert.Throws<InvalidDataException>(() => RecipeConfigFile.Read(Write("beta: 0.1\n"), RecipeKeys.Sft, "sft"));
    }

    [Fact]
    public void TrlKeysMapOntoTheOptionsAndFlagsOverrideTheFile()
    {
        string path = Write("learning_rate: 1.0e-4\nmax_steps: 7\nbeta: 0.3\nloss_type: ipo\nmax_length: 64\ngradient_accumulation_steps: 2\n");
        var settings = RecipeSettings.From(path, RecipeKeys.Dpo, "dpo", [("max_steps", "--max-steps", "9"), ("seed", "--seed", null)]);
        var options = settings.Dpo("out");
        Assert.Equal(1e-4, options.Common.Training.LearningRate);
        Assert.Equal(9, options.Common.Training.MaxSteps);
        Assert.Equal(2, options.Common.Training.GradientAccumulationSteps);
        Assert.Equal(42, options.Common.Training.Seed);
        Assert.Equal("out", options.Common.Training.OutputDir);
        Assert.Equal(64, options.Common.MaxLength);
        Assert.Equal(0.3, options.Dpo.Beta);
        Assert.Equal(DpoLossType.Ipo, options.Dpo.LossType);
        Assert.Equal(PairPasses.Split, options.PairSteps.Passes);
        Assert.True(options.PairSteps.TrimHeap);
    }

    [Fact]
    public void PairPassesAndHeapTrimAreSettingsOfDpoModpoAndOrpoAndABadNameIsAnError()
    {
        string path = Write("pair_passes: concatenated\npair_trim_heap: false\n");
        var dpo = RecipeSettings.From(path, RecipeKeys.Dpo, "dpo", []).Dpo("out");
        Assert.Equal(PairPasses.Concatenated, dpo.PairSteps.Passes);
        Assert.False(dpo.PairSteps.TrimHeap);
        var modpo = ModpoCommand.Options(RecipeSettings.From(path, ModpoCommand.Keys, "modpo", []), "out");
        Assert.Equal(PairPasses.Concatenated, modpo.PairSteps.Passes);
        Assert.False(modpo.PairSteps.TrimHeap);
        var orpo = OrpoCommand.Options(RecipeSettings.From(path, OrpoCommand.Keys, "orpo", []), "out");
        Assert.Equal(PairPasses.Concatenated, orpo.PairSteps.Passes);
        Assert.False(orpo.PairSteps.TrimHeap);

        // Defaults: split with trims, for all three.
        Assert.Equal((PairPasses.Split, true), (new ModpoRecipeOptions().PairSteps.Passes, new ModpoRecipeOptions().PairSteps.TrimHeap));
        Assert.Equal((PairPasses.Split, true), (new OrpoRecipeOptions().PairSteps.Passes, new OrpoRecipeOptions().PairSteps.TrimHeap));

        string bad = Write("pair_passes: halves\n");
        var error = Assert.Throws<UserInputException>(() => OrpoCommand.Options(RecipeSettings.From(bad, OrpoCommand.Keys, "orpo", []), "out"));
        Assert.Contains($"'pair_passes' in {bad}:1", error.Message);
        Assert.Contains("split or concatenated", error.Message);
    }

    [Fact]
    public void DpoStillReadsTheOlderDpoNamesButNotBothNamesAtOnce()
    {
        var options = RecipeSettings.From(Write("dpo_passes: concatenated\ndpo_trim_heap: false\n"), RecipeKeys.Dpo, "dpo", []).Dpo("out");
        Assert.Equal(PairPasses.Concatenated, options.PairSteps.Passes);
        Assert.False(options.PairSteps.TrimHeap);

        string path = Write("dpo_passes: halves\n");
        var error = Assert.Throws<UserInputException>(() => RecipeSettings.From(path, RecipeKeys.Dpo, "dpo", []).Dpo("out"));
        Assert.Contains($"'dpo_passes' in {path}:1", error.Message);
        Assert.Contains("split or concatenated", error.Message);

        string both = Write("pair_passes: split\ndpo_passes: concatenated\n");
        var ambiguous = Assert.Throws<UserInputException>(() => RecipeSettings.From(both, RecipeKeys.Dpo, "dpo", []).Dpo("out"));
        Assert.Contains("pair_passes and its older name dpo_passes", ambiguous.Message);

        // A flag wins over the file, whichever of the two names either uses.
        string old = Write("dpo_passes: concatenated\n");
        Assert.Equal(PairPasses.Split,
            RecipeSettings.From(old, RecipeKeys.Dpo, "dpo", [("pair_passes", "--pair-passes", "split")]).Dpo("out").PairSteps.Passes);
        string current = Write("pair_passes: split\n");
        Assert.Equal(PairPasses.Concatenated,
            RecipeSettings.From(current, RecipeKeys.Dpo, "dpo", [("dpo_passes", "--dpo-passes", "concatenated")]).Dpo("out").PairSteps.Passes);

        // The older names are DPO's only: MODPO and ORPO never had them.
        Assert.Throws<InvalidDataException>(() => RecipeConfigFile.Read(Write("dpo_passes: split\n"), ModpoCommand.Keys, "modpo"));
        Assert.Throws<InvalidDataException>(() => RecipeConfigFile.Read(Write("dpo_trim_heap: true\n"), OrpoCommand.Keys, "orpo"));
    }

    [Fact]
    public void ABadValueNamesTheKeyAndWhereItWasWritten()
    {
        string path = Write("max_steps: many\n");
        var error = Assert.Throws<UserInputException>(() => RecipeSettings.From(path, RecipeKeys.Sft, "sft", []).Sft("out"));
        Assert.Contains($"'max_steps' in {path}:1", error.Message);
        Assert.Contains("not an integer", error.Message);
    }

    [Fact]
    public void TheShippedRecipesReadWithoutErrors()
    {
        string recipes = Path.Combine(RepositoryRoot(), "recipes");
        RecipeSettings.From(Path.Combine(recipes, "sft.yaml"), RecipeKeys.Sft, "sft", []).Sft("out").Common.Training.Validate();
        RecipeSettings.From(Path.Combine(recipes, "rm.yaml"), RecipeKeys.RewardModel, "rm", []).RewardModel("out").Common.Training.Validate();
        RecipeSettings.From(Path.Combine(recipes, "dpo.yaml"), RecipeKeys.Dpo, "dpo", []).Dpo("out").Dpo.Validate();
        var grpo = RecipeSettings.From(Path.Combine(recipes, "grpo.yaml"), RecipeKeys.Grpo, "grpo", []);
        Assert.Equal("arithmetic", grpo.String("reward_funcs"));
        Assert.Equal(8, grpo.Grpo("out", null).Online.Rollout.NumGenerations);
        var rloo = RecipeSettings.From(Path.Combine(recipes, "rloo.yaml"), RecipeKeys.Rloo, "rloo", []).Rloo("out", null);
        Assert.Equal((2, 0.05), (rloo.Online.Rollout.NumGenerations, rloo.Beta));
        Assert.Equal(PairPasses.Split, ModpoCommand.Options(RecipeSettings.From(Path.Combine(recipes, "modpo.yaml"), ModpoCommand.Keys, "modpo", []), "out").PairSteps.Passes);
        Assert.Equal(PairPasses.Split, OrpoCommand.Options(RecipeSettings.From(Path.Combine(recipes, "orpo.yaml"), OrpoCommand.Keys, "orpo", []), "out").PairSteps.Passes);
        var quickstart = RecipeSettings.From(Path.Combine(recipes, "quickstart.yaml"), RecipeKeys.Quickstart, "quickstart", []);
        Assert.Equal(new AlignSharp.Recipes.QuickstartOptions(), quickstart.Quickstart(new AlignSharp.Recipes.QuickstartOptions()));
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlignSharp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AlignSharp.sln not found above the test binaries");
    }
}

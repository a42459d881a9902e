using AlignSharp.Recipes;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Tests.Recipes;

public sealed class RecipeLeakTests
{
    /// <summary>Each step of every recipe frees what it made: the live tensor count is the same after steps 2..n.</summary>
    [Fact]
    public void RecipeStepsLeaveNoTensorsBehind()
    {
        using var data = new RecipeTestData();
        var counts = new Dictionary<string, List<long>>();
        RecipeCallbacks Track(string name)
        {
            var live = counts[name] = [];
            return new RecipeCallbacks { Training = new TrainingCallbacks { OnStep = _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) } };
        }

        SftRecipe.Run(data.ModelDir, data.SftData(8), new SftRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("sft"), steps: 5) },
        }, Track("sft"));
        RewardModelRecipe.Run(data.ModelDir, data.TaskPairs(8), new RewardModelRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("rm"), steps: 5) },
            Margin = 0.5,
        }, Track("rm"));
        DpoRecipe.Run(data.ModelDir, data.TaskPairs(8), new DpoRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("dpo"), steps: 5) },
        }, Track("dpo"));

        foreach (var (name, live) in counts)
        {
            Assert.Equal(5, live.Count);
            Assert.All(live.Skip(1), count => Assert.True(count == live[1], $"{name}: live tensors after each step {string.Join(", ", live)}"));
        }
    }
}

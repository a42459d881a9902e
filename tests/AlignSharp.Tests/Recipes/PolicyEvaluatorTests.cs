using AlignSharp.Evaluation;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Recipes;

public sealed class PolicyEvaluatorTests
{
    [Fact]
    public void SeededAndZeroKlAgainstItself()
    {
        using var data = new RecipeTestData();
        using var policy = ModelFolder.Load(data.ModelDir);
        var options = new EvaluationOptions(PromptCount: 6, Seed: 4, MaxNewTokens: 8, BatchSize: 4);
        var first = PolicyEvaluator.Evaluate("base", policy, new SentimentTask(), options, reference: policy);
        var again = PolicyEvaluator.Evaluate("base", policy, new SentimentTask(), options);

        Assert.Equal(6, first.Task.Count);
        Assert.Equal(0, first.Task.KlToReference!.Value, 6);
        Assert.All(first.Samples, s => Assert.Equal(0, s.LogRatio!.Value, 6));
        Assert.Null(again.Task.KlToReference);
        Assert.Equal(first.Samples.Select(s => s.Completion), again.Samples.Select(s => s.Completion));
        var heldOut = new SentimentTask().Prompts(6, Split.HeldOut, 4);
        Assert.Equal(heldOut, first.Samples.Select(s => s.Prompt));
    }
}

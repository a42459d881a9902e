using System.Text.Json;
using AlignSharp.Tests.Checkpoints;
using AlignSharp.Training;
using static AlignSharp.Tests.Training.TrainingTestData;

namespace AlignSharp.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void PropertyNamesMapOneToOneOntoTransformersKeys()
    {
        var json = JsonSerializer.SerializeToElement(new TrainingOptions(), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        var keys = json.EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(new[]
        {
            "adam_beta1", "adam_beta2", "adam_epsilon", "eval_steps", "gradient_accumulation_steps", "learning_rate", "logging_steps",
            "lr_scheduler_type", "max_grad_norm", "max_steps", "num_train_epochs", "output_dir", "per_device_train_batch_size",
            "save_steps", "save_total_limit", "seed", "warmup_ratio", "warmup_steps", "weight_decay",
        }, keys);
    }

    [Theory]
    [InlineData("gradient_accumulation_steps")]
    [InlineData("learning_rate")]
    [InlineData("adam_beta2")]
    [InlineData("lr_scheduler_type")]
    public void AnInvalidValueIsReportedUnderItsConfigKey(string key)
    {
        var options = key switch
        {
            "gradient_accumulation_steps" => new TrainingOptions { GradientAccumulationSteps = 0 },
            "learning_rate" => new TrainingOptions { LearningRate = double.NaN },
            "adam_beta2" => new TrainingOptions { AdamBeta2 = 1 },
            _ => new TrainingOptions { LrSchedulerType = "polynomial" },
        };
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void EvalStepsWithoutAnEvaluationIsAnError()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => TrainingLoop.Run(model, Examples(2), Sft(model), Options(folder.Path) with { EvalSteps = 1 }));
        Assert.Contains("eval_steps", error.Message);
    }
}

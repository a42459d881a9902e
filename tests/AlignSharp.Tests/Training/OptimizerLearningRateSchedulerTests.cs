using AlignSharp.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Training;

public class OptimizerLearningRateSchedulerTests
{
    [Fact]
    public void EveryParamGroupFollowsTheScheduleFromItsOwnBaseRate()
    {
        using var scope = torch.NewDisposeScope();
        var a = new TorchSharp.Modules.Parameter(torch.zeros(1));
        var b = new TorchSharp.Modules.Parameter(torch.zeros(1));
        using var optimizer = torch.optim.SGD(
            new[] { new TorchSharp.Modules.SGD.ParamGroup(new[] { a }, lr: 0.1), new TorchSharp.Modules.SGD.ParamGroup(new[] { b }, lr: 0.01) },
            learningRate: 0.1);
        var schedule = LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = "linear", WarmupSteps = 2 }, 4);
        var scheduler = new OptimizerLearningRateScheduler(optimizer, schedule);
        Assert.Equal(new[] { 0.1, 0.01 }, scheduler.BaseLearningRates);

        double[] expected = { 0.0, 0.5, 1.0, 0.5, 0.0 };
        for (int step = 0; step <= 4; step++)
        {
            Assert.Equal(expected[step], scheduler.SetStep(step), 12);
            var rates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
            Assert.Equal(0.1 * expected[step], rates[0], 12);
            Assert.Equal(0.01 * expected[step], rates[1], 12);
        }
    }

    [Fact]
    public void TheOptimizerStepUsesTheScheduledRate()
    {
        using var scope = torch.NewDisposeScope();
        var weight = new TorchSharp.Modules.Parameter(torch.zeros(1));
        using var optimizer = torch.optim.SGD(new[] { weight }, learningRate: 0.5);
        var scheduler = new OptimizerLearningRateScheduler(optimizer,
            LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = "constant_with_warmup", WarmupSteps = 2 }, 10));

        // Gradient of sum(w) is 1, so each SGD update moves w by −lr.
        double[] expectedWeights = { 0.0, -0.25, -0.75 }; // lr 0, then 0.25, then 0.5
        for (int step = 0; step < 3; step++)
        {
            scheduler.SetStep(step);
            optimizer.zero_grad();
            using (var loss = weight.sum()) loss.backward();
            optimizer.step();
            Assert.Equal(expectedWeights[step], weight.ToDouble(), 12);
        }
    }
}

using AlignSharp.Tests.Objectives;
using AlignSharp.Training.Schedules;

namespace AlignSharp.Tests.Training;

public class LearningRateScheduleTests
{
    public static IEnumerable<object[]> GoldenCases => ObjectiveGoldens.Indices("schedules");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void MultipliersMatchTransformersFormulas(int index)
    {
        var golden = ObjectiveGoldens.Case("schedules", index);
        var options = new LearningRateScheduleOptions
        {
            LrSchedulerType = golden.GetProperty("lr_scheduler_type").GetString()!,
            WarmupSteps = golden.GetProperty("warmup_steps").GetInt32(),
            WarmupRatio = golden.GetProperty("warmup_ratio").GetDouble(),
        };
        int total = golden.GetProperty("total_steps").GetInt32();
        var schedule = LearningRateSchedule.Create(options, total);

        Assert.Equal(golden.GetProperty("resolved_warmup_steps").GetInt32(), schedule.WarmupSteps);
        double[] expected = ObjectiveGoldens.Doubles(golden.GetProperty("multipliers"));
        Assert.Equal(total + 1, expected.Length);
        for (int step = 0; step <= total; step++)
            Assert.True(Math.Abs(expected[step] - schedule.Multiplier(step)) < 1e-12,
                $"{options} total {total} step {step}: expected {expected[step]:R}, got {schedule.Multiplier(step):R}");
    }

    [Fact]
    public void WarmupStartsAtZeroAndDecayingSchedulesEndAtZero()
    {
        foreach (var name in new[] { "linear", "cosine" })
        {
            var schedule = LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = name, WarmupSteps = 4 }, 10);
            Assert.Equal(0.0, schedule.Multiplier(0));
            Assert.Equal(0.5, schedule.Multiplier(2), 12);
            Assert.Equal(1.0, schedule.Multiplier(4), 12);
            Assert.Equal(0.0, schedule.Multiplier(10), 12);
        }
        var cosine = LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = "cosine" }, 10);
        Assert.Equal(0.5, cosine.Multiplier(5), 12); // half-way down the half cosine
    }

    [Fact]
    public void UnknownNamesListTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = "cosine_with_restarts" }, 10));
        Assert.Contains("cosine_with_restarts", error.Message);
        Assert.Contains("constant, constant_with_warmup, linear, cosine", error.Message);
        Assert.Equal("constant_with_warmup", LrSchedulerType.ConstantWithWarmup.ToName());
        Assert.Equal(LrSchedulerType.Cosine, LrSchedulerTypes.Parse("cosine"));
    }

    [Fact]
    public void SettingsTransformersWouldSilentlyIgnoreAreRejected()
    {
        var warmupOnConstant = Assert.Throws<ArgumentException>(() =>
            LearningRateSchedule.Create(new LearningRateScheduleOptions { LrSchedulerType = "constant", WarmupRatio = 0.1 }, 10));
        Assert.Contains("constant_with_warmup", warmupOnConstant.Message);
        Assert.Throws<ArgumentException>(() =>
            LearningRateSchedule.Create(new LearningRateScheduleOptions { WarmupSteps = 2, WarmupRatio = 0.1 }, 10));
    }

    [Fact]
    public void OutOfRangeValuesAreRejected()
    {
        var schedule = LearningRateSchedule.Create(new LearningRateScheduleOptions(), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Multiplier(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Multiplier(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Create(new LearningRateScheduleOptions(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Create(new LearningRateScheduleOptions { WarmupSteps = 11 }, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Create(new LearningRateScheduleOptions { WarmupRatio = 1.5 }, 10));
    }
}

using AlignSharp.Objectives;
using AlignSharp.Scoring;
using AlignSharp.Tests.Checkpoints;
using AlignSharp.Training;
using TorchSharp;
using static AlignSharp.Tests.Training.TrainingTestData;

namespace AlignSharp.Tests.Training;

/// <summary>Objectives that back-propagate a micro-batch themselves (<see cref="TrainingObjective{TExample}.LossAndBackward"/>).</summary>
public sealed class SelfBackwardObjectiveTests
{
    /// <summary>SFT whose LossAndBackward back-propagates and returns the detached value; <paramref name="tamper"/> may change that value.</summary>
    static TrainingObjective<ScoringRow> SelfBackward(AlignSharp.Modeling.ICausalLM model, Func<MicroBatchContext, double, double>? tamper = null)
    {
        var sft = Sft(model);
        return sft with
        {
            LossAndBackward = (batch, context) =>
            {
                using ObjectiveOutput output = sft.Loss(batch, context);
                output.Loss.backward();
                var value = output.Loss.detach();
                return new ObjectiveOutput(tamper is null ? value : value * tamper(context, value.ToDouble()), output.Metrics);
            },
        };
    }

    [Fact]
    public void TrainingUsesLossAndBackwardAndGivesTheSameRunAsLossThenBackward()
    {
        using var plainFolder = new TemporaryFolder();
        using var selfFolder = new TemporaryFolder();
        using var plain = TinyModel(seed: 8);
        using var self = TinyModel(seed: 8);
        int selfCalls = 0;
        var objective = SelfBackward(self, tamper: (_, _) => { selfCalls++; return 1; });
        var expected = TrainingLoop.Run(plain, Examples(8), Sft(plain), Options(plainFolder.Path) with { MaxSteps = 3, GradientAccumulationSteps = 2 });
        var actual = TrainingLoop.Run(self, Examples(8), objective, Options(selfFolder.Path) with { MaxSteps = 3, GradientAccumulationSteps = 2 });

        Assert.Equal(6, selfCalls); // 3 steps × 2 micro-batches, and the plain Loss was not back-propagated on top
        Assert.Equal(expected.LogHistory.Select(r => r.Values["loss"]), actual.LogHistory.Select(r => r.Values["loss"]));
        Assert.Equal(0, MaxDifference(Weights(plain), Weights(self)));
    }

    [Fact]
    public void ANaNLossFromLossAndBackwardStopsTheRunWithoutApplyingItsGradients()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 8);
        var objective = SelfBackward(model, tamper: (context, _) => context.Step == 3 ? double.NaN : 1);
        Dictionary<string, float[]>? afterStep2 = null;

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingLoop.Run(model, Examples(8), objective,
            Options(folder.Path) with { MaxSteps = 6 },
            new TrainingCallbacks { OnStep = p => { if (p.Step == 2) afterStep2 = Weights(model); } }));

        Assert.Equal(3, error.Step);
        Assert.Contains("NaN", error.Message);
        // The objective had already back-propagated step 3 (a finite gradient): it must be cleared, not applied.
        Assert.Equal(0, MaxDifference(afterStep2!, Weights(model)));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad is null || parameter.grad.abs().max().ToDouble() == 0, $"{name} kept a gradient of the bad step");
    }

    [Fact]
    public void ALossThatStillRequiresGradIsRejected()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 8);
        var sft = Sft(model);
        var objective = sft with { LossAndBackward = sft.Loss }; // forgot to back-propagate and detach

        var error = Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(model, Examples(8), objective, Options(folder.Path) with { MaxSteps = 1 }));
        Assert.Contains("LossAndBackward", error.Message);
    }
}

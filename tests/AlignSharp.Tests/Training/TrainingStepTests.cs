using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Tests.Checkpoints;
using AlignSharp.Training;
using AlignSharp.Training.Schedules;
using TorchSharp;
using static AlignSharp.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Training;

public class TrainingStepTests
{
    [Fact]
    public void TwoMicroBatchesOfTwoAccumulatedEqualOneBatchOfFour()
    {
        // Completion lengths differ between the micro-batches, so a per-micro-batch token mean would be wrong.
        var data = Examples(4);
        Assert.NotEqual(data[0].CompletionIds.Count + data[1].CompletionIds.Count, data[2].CompletionIds.Count + data[3].CompletionIds.Count);

        (TrainingProgress Step, Dictionary<string, float[]> Weights) Train(int batch, int accumulation)
        {
            using var folder = new TemporaryFolder();
            using var model = TinyModel(seed: 21);
            TrainingProgress? progress = null;
            TrainingLoop.Run(model, data, Sft(model), Options(folder.Path) with
            {
                MaxSteps = 1,
                PerDeviceTrainBatchSize = batch,
                GradientAccumulationSteps = accumulation,
                MaxGradNorm = 0,
                // AdamW's first update is lr·g/(|g| + ε): with the default ε = 1e-8, gradients that are float noise
                // (~1e-9, where summation order matters) move by a sizeable fraction of lr. A larger ε keeps the
                // update proportional to such gradients, so the comparison measures accumulation, not noise.
                AdamEpsilon = 1e-3,
            }, new TrainingCallbacks { OnStep = p => progress = p });
            return (progress!, Weights(model));
        }

        var full = Train(batch: 4, accumulation: 1);
        var accumulated = Train(batch: 2, accumulation: 2);
        // Loss and the gradient's norm are scale-sensitive (AdamW's first update is not), so check all three.
        // Relative 1e-6 (~10 float32 ulps): the two sum the token losses in a different order; a wrong normaliser is off by far more.
        Assert.True(Math.Abs(full.Step.Loss - accumulated.Step.Loss) <= 1e-6 * Math.Abs(full.Step.Loss),
            $"loss {full.Step.Loss} vs {accumulated.Step.Loss}");
        Assert.True(Math.Abs(full.Step.GradNorm - accumulated.Step.GradNorm) <= 1e-6 * full.Step.GradNorm,
            $"grad norm {full.Step.GradNorm} vs {accumulated.Step.GradNorm}");
        double difference = MaxDifference(full.Weights, accumulated.Weights);
        Assert.True(difference <= 1e-6, $"weights differ by {difference}");
    }

    [Fact]
    public void ClippingBringsTheGlobalNormDownToMaxGradNormAndTheLogShowsTheNormBefore()
    {
        using var model = TinyModel(seed: 4);
        var parameters = model.parameters().Select(p => (Tensor)p).ToArray();
        var data = Examples(4);
        long completionTokens = data.Sum(r => r.CompletionIds.Count);
        using (var scope = NewDisposeScope())
        using (var output = Sft(model).Loss(data, new MicroBatchContext(1, 0, 1, 4, 0, completionTokens)))
            output.Loss.backward();

        double before = Gradients.TotalNorm(parameters);
        Assert.True(before > 0.05, $"the test needs a norm above the limit, got {before}");
        Gradients.ClipToNorm(parameters, before, maxNorm: 0.05);
        double after = Gradients.TotalNorm(parameters);
        Assert.True(after <= 0.05 + 1e-6, $"norm after clipping {after}");
        Assert.True(after > 0.05 * 0.999, $"clipping should scale to the limit, not below: {after}");

        // A norm below the limit is left alone.
        Gradients.ClipToNorm(parameters, after, maxNorm: 10);
        Assert.Equal(after, Gradients.TotalNorm(parameters), 9);

        // In the loop, grad_norm is the norm before clipping.
        using var folder = new TemporaryFolder();
        using var trained = TinyModel(seed: 4);
        var norms = new List<double>();
        TrainingLoop.Run(trained, data, Sft(trained), Options(folder.Path) with { MaxSteps = 1, PerDeviceTrainBatchSize = 4, MaxGradNorm = 0.05 },
            new TrainingCallbacks { OnStep = p => norms.Add(p.GradNorm) });
        Assert.Equal(before, norms.Single(), 5);
    }

    [Fact]
    public void ANaNLossStopsTheRunNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 8);
        var objective = Sft(model, tamper: (context, output) =>
        {
            if (context.Step != 3) return output;
            using (output) return new ObjectiveOutput(output.Loss * double.NaN, output.Metrics);
        });

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingLoop.Run(model, Examples(8), objective,
            Options(folder.Path) with { MaxSteps = 6, SaveSteps = 2 }));

        Assert.Equal(3, error.Step);
        string checkpoint = Path.Combine(folder.Path, "checkpoint-2");
        Assert.Equal(checkpoint, error.LastGoodCheckpoint);
        Assert.Contains("step 3", error.Message);
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Equal(new[] { 2 }, TrainingCheckpoint.List(folder.Path).Select(c => c.Step));

        // No update of step 3 was applied: the live model still equals the checkpoint, which loads.
        using var loaded = PretrainedModels.LoadCausalLM(checkpoint);
        Assert.Equal(0, MaxDifference(Weights(model), Weights(loaded)));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad is null || parameter.grad.abs().max().ToDouble() == 0, $"{name} kept a gradient of the bad step");

        // And the run can resume from it.
        using var resumedModel = TinyModel(seed: 8);
        var resumed = TrainingLoop.Run(resumedModel, Examples(8), Sft(resumedModel), Options(folder.Path) with { MaxSteps = 6, SaveSteps = 2 },
            resumeFromCheckpoint: error.LastGoodCheckpoint);
        Assert.Equal(6, resumed.GlobalStep);
    }

    [Fact]
    public void ANonFiniteGradientNormWithAFiniteLossStopsTheRunBeforeTheUpdate()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 8);
        var norm = model.named_parameters().First(p => p.name == "model.norm.weight").parameter;
        // sqrt(|w − w|) is 0 in value but its gradient is not finite: the loss stays finite, the gradient does not.
        var objective = Sft(model, tamper: (context, output) =>
        {
            if (context.Step != 2) return output;
            using (output) return new ObjectiveOutput(output.Loss + (norm - norm.detach()).abs().sqrt().sum(), output.Metrics);
        });
        Dictionary<string, float[]>? afterStep1 = null;

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingLoop.Run(model, Examples(8), objective,
            Options(folder.Path) with { MaxSteps = 4 },
            new TrainingCallbacks { OnStep = p => afterStep1 ??= Weights(model) }));

        Assert.Equal((2, "grad_norm"), (error.Step, error.Quantity));
        Assert.False(double.IsFinite(error.Value));
        Assert.Null(error.LastGoodCheckpoint);
        Assert.Contains("No checkpoint", error.Message);
        Assert.Equal(0, MaxDifference(afterStep1!, Weights(model)));
    }

    [Fact]
    public void TheLoggedLearningRateFollowsTheSchedule()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 2);
        var options = Options(folder.Path) with { MaxSteps = 6, LrSchedulerType = "cosine", WarmupRatio = 0.34, LearningRate = 3e-3 };
        var progress = new List<TrainingProgress>();
        var result = TrainingLoop.Run(model, Examples(6), Sft(model), options, new TrainingCallbacks { OnStep = progress.Add });

        var schedule = LearningRateSchedule.Create(options.ToScheduleOptions(), 6);
        Assert.Equal(3, schedule.WarmupSteps); // ceil(6 · 0.34)
        Assert.Equal(6, result.LogHistory.Count);
        foreach (var row in result.LogHistory)
            Assert.Equal(3e-3 * schedule.Multiplier(row.Step - 1), row.Values["learning_rate"], 12);
        Assert.Equal(progress.Select(p => p.LearningRate), result.LogHistory.Select(r => r.Values["learning_rate"]));
        Assert.Equal(0, progress[0].LearningRate); // warmup starts at 0, as transformers' lambda does
    }

    [Fact]
    public void WeightDecaySkipsBiasesAndNormParameters()
    {
        using var llama = TinyModel(seed: 1);
        var split = OptimizerParameters.Of(llama);
        var noDecay = split.NoDecay.Select(p => p.Name).ToHashSet();
        Assert.Contains("model.norm.weight", noDecay);
        Assert.Contains("model.layers.0.input_layernorm.weight", noDecay);
        Assert.Contains("model.layers.1.post_attention_layernorm.weight", noDecay);
        Assert.All(noDecay, name => Assert.Contains("norm", name));
        Assert.Contains("model.embed_tokens.weight", split.Decay.Select(p => p.Name));
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", split.Decay.Select(p => p.Name));

        using var gpt2 = TinyModel(seed: 1, arch: "gpt2");
        var gpt2Split = OptimizerParameters.Of(gpt2);
        Assert.Contains("transformer.h.0.attn.c_attn.bias", gpt2Split.NoDecay.Select(p => p.Name));
        Assert.Contains("transformer.h.0.ln_1.weight", gpt2Split.NoDecay.Select(p => p.Name));
        Assert.Contains("transformer.ln_f.bias", gpt2Split.NoDecay.Select(p => p.Name));
        Assert.All(gpt2Split.Decay, p => Assert.DoesNotContain("bias", p.Name));
        Assert.Contains("transformer.h.0.mlp.c_fc.weight", gpt2Split.Decay.Select(p => p.Name));

        // Behaviour: with zero gradients AdamW's only change is the decay, w ← w · (1 − lr · wd).
        using var optimizer = gpt2Split.CreateAdamW(new TrainingOptions { LearningRate = 0.1, WeightDecay = 0.5 });
        var before = Weights(gpt2);
        using (var scope = NewDisposeScope())
        {
            var total = gpt2.parameters().Select(p => p.sum()).Aggregate((a, b) => a + b);
            (total * 0).backward();
        }
        optimizer.step();
        var after = Weights(gpt2);
        foreach (var (name, _) in gpt2Split.Decay)
            Assert.Equal(before[name][0] * 0.95f, after[name][0], 6);
        foreach (var (name, _) in gpt2Split.NoDecay)
            Assert.Equal(before[name], after[name]);
    }

    [Fact]
    public void TrainingStepsLeaveNoTensorsBehind()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 6);
        var objective = Sft(model);
        var data = Examples(8);
        var options = Options(folder.Path) with { MaxSteps = 5, GradientAccumulationSteps = 2, SaveSteps = 2 };

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var liveAfterStep = new List<long>();
        TrainingLoop.Run(model, data, objective, options,
            new TrainingCallbacks { OnStep = _ => liveAfterStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) });
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // Steps 2..5 (after the optimizer has its state) hold the same number of tensors: nothing grows per step.
        Assert.All(liveAfterStep.Skip(1), live => Assert.Equal(liveAfterStep[1], live));
        Assert.Equal(before, after);

        // Resuming (reading weights, optimizer and RNG state) leaves nothing behind either.
        long beforeResume = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingLoop.Run(model, data, objective, options, resumeFromCheckpoint: Path.Combine(folder.Path, "checkpoint-4"));
        Assert.Equal(beforeResume, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

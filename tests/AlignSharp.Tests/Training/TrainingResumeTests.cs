using AlignSharp.Modeling;
using AlignSharp.Tests.Checkpoints;
using AlignSharp.Tests.Scoring;
using AlignSharp.Training;
using static AlignSharp.Tests.Training.TrainingTestData;

namespace AlignSharp.Tests.Training;

public class TrainingResumeTests
{
    sealed class SimulatedCrash : Exception;

    // 10 examples, micro-batches of 2, 2 per step: 3 steps per epoch (the last with one micro-batch),
    // so 7 steps cross two epoch boundaries; warmup + cosine make the schedule position matter.
    static TrainingOptions ResumeOptions(string outputDir) => Options(outputDir) with
    {
        MaxSteps = 7,
        GradientAccumulationSteps = 2,
        SaveSteps = 2,
        LoggingSteps = 3,
        WarmupSteps = 2,
        LrSchedulerType = "cosine",
        WeightDecay = 0.01,
    };

    [Fact]
    public void AResumedRunDrawsTheSameCurveAsAnUninterruptedOne()
    {
        var data = Examples(10);

        // Uninterrupted.
        using var straightFolder = new TemporaryFolder();
        var straightLosses = new SortedDictionary<int, double>();
        Dictionary<string, float[]> straightWeights;
        TrainingResult straight;
        using (var model = TinyModel(seed: 11))
        {
            straight = TrainingLoop.Run(model, data, Sft(model), ResumeOptions(straightFolder.Path),
                new TrainingCallbacks { OnStep = p => straightLosses.Add(p.Step, p.Loss) });
            straightWeights = Weights(model);
        }
        Assert.Equal(7, straightLosses.Count);

        // Interrupted after step 5 (checkpoint-4 is the newest), then resumed with fresh objects.
        using var resumedFolder = new TemporaryFolder();
        var resumedLosses = new SortedDictionary<int, double>();
        using (var model = TinyModel(seed: 11))
        {
            Assert.Throws<SimulatedCrash>(() => TrainingLoop.Run(model, data, Sft(model), ResumeOptions(resumedFolder.Path),
                new TrainingCallbacks
                {
                    OnStep = p =>
                    {
                        resumedLosses.Add(p.Step, p.Loss);
                        if (p.Step == 5) throw new SimulatedCrash();
                    },
                }));
        }
        Assert.Equal(5, resumedLosses.Count);
        string checkpoint = TrainingCheckpoint.Latest(resumedFolder.Path)!;
        Assert.EndsWith("checkpoint-4", checkpoint);

        Dictionary<string, float[]> resumedWeights;
        TrainingResult resumed;
        using (var model = TinyModel(seed: 999)) // different init: everything must come from the checkpoint
        {
            resumed = TrainingLoop.Run(model, data, Sft(model), ResumeOptions(resumedFolder.Path),
                new TrainingCallbacks
                {
                    OnStart = start => Assert.Equal(4, start.StartStep),
                    OnStep = p => resumedLosses[p.Step] = p.Loss, // steps 5..7 again
                },
                resumeFromCheckpoint: checkpoint);
            resumedWeights = Weights(model);
        }

        Assert.Equal(straightLosses.Keys, resumedLosses.Keys);
        foreach (var (step, loss) in straightLosses)
            Assert.True(Math.Abs(loss - resumedLosses[step]) <= 1e-6, $"step {step}: uninterrupted loss {loss}, resumed {resumedLosses[step]}");
        Assert.True(MaxDifference(straightWeights, resumedWeights) <= 1e-6);
        Assert.True(straightLosses[7] < straightLosses[1], "the run should learn something");

        // The logs agree too: metrics.jsonl lost the crashed run's rows after step 4 and has each step once.
        Assert.Equal(7, resumed.GlobalStep);
        Assert.Equal(straight.LogHistory.Select(r => r.Step), resumed.LogHistory.Select(r => r.Step));
        var straightRows = File.ReadAllLines(Path.Combine(straightFolder.Path, MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).ToArray();
        var resumedRows = File.ReadAllLines(Path.Combine(resumedFolder.Path, MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).ToArray();
        Assert.Equal(new[] { 3, 6, 7 }, resumedRows.Select(r => r.Step));
        Assert.Equal(straightRows.Select(r => r.Step), resumedRows.Select(r => r.Step));
        // TensorBoard: the resumed run's file starts with a restart marker at step 5, so TensorBoard drops the
        // crashed run's events from step 5 on.
        var eventFiles = Directory.GetFiles(Path.Combine(resumedFolder.Path, TrainingLoop.EventsFolder)).Order().ToArray();
        Assert.Equal(2, eventFiles.Length);
        var restart = TensorBoardEventReader.Read(eventFiles[1])[1];
        Assert.Equal((5L, 1), (restart.Step, restart.SessionStatus));
        for (int i = 0; i < straightRows.Length; i++)
        {
            // The step-6 row averages steps 4 (before the checkpoint) to 6: the logging window was restored.
            Assert.Equal(straightRows[i].Values["loss"], resumedRows[i].Values["loss"], 6);
            Assert.Equal(straightRows[i].Values["learning_rate"], resumedRows[i].Values["learning_rate"], 12);
            Assert.Equal(straightRows[i].Values["grad_norm"], resumedRows[i].Values["grad_norm"], 5);
        }
    }

    [Fact]
    public void ACheckpointHoldsAHuggingFaceModelOptimizerRngAndTrainerState()
    {
        var data = Examples(6);
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 3);
        var result = TrainingLoop.Run(model, data, Sft(model), Options(folder.Path) with { MaxSteps = 3, SaveSteps = 1, SaveTotalLimit = 2 });

        // save_total_limit = 2 pruned checkpoint-1; no temporary folder is left.
        Assert.Equal(new[] { "checkpoint-2", "checkpoint-3" },
            Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Where(n => n!.StartsWith("checkpoint")).Order());
        Assert.Equal(Path.Combine(folder.Path, "checkpoint-3"), result.LastCheckpoint);
        string last = result.LastCheckpoint!;
        foreach (string file in new[] { "config.json", "model.safetensors", "generation_config.json",
                     TrainingCheckpoint.OptimizerFileName, TrainingCheckpoint.RngStateFileName, TrainerState.FileName })
            Assert.True(File.Exists(Path.Combine(last, file)), $"{file} missing from the checkpoint");

        var state = TrainerState.Load(last);
        Assert.Equal(3, state.GlobalStep);
        Assert.Equal(new DataPosition(1, 0, 0, 3), state.DataPosition); // 6 examples / 2 = 3 steps per epoch
        Assert.Equal(3, state.LogHistory.Count);
        Assert.Equal(result.LogHistory.Select(MetricsJsonlLog.Serialize), state.LogHistory.Select(MetricsJsonlLog.Serialize));
        // log_history rows are flat, as transformers writes them: {"step": 1, "epoch": ..., "loss": ...}.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(last, TrainerState.FileName)));
        var firstRow = json.RootElement.GetProperty("log_history")[0];
        Assert.Equal(1, firstRow.GetProperty("step").GetInt32());
        Assert.True(firstRow.GetProperty("loss").GetDouble() > 0);
        using var loaded = PretrainedModels.LoadCausalLM(last);
        Assert.Equal(0, MaxDifference(Weights(model), Weights(loaded)));
    }

    [Fact]
    public void AModelThatIsNotAHuggingFaceModelIsCheckpointedAsSafetensorsOfItsParameters()
    {
        var data = Examples(6);
        using var folder = new TemporaryFolder();
        var straight = new List<double>();
        using (var model = new TinyCausalLM(vocab: Vocab, seed: 5))
            TrainingLoop.Run(model, data, Sft(model), Options(folder.Path) with { MaxSteps = 3, SaveSteps = 1 },
                new TrainingCallbacks { OnStep = p => straight.Add(p.Loss) });
        string checkpoint = Path.Combine(folder.Path, "checkpoint-1");
        Assert.True(File.Exists(Path.Combine(checkpoint, TrainingCheckpoint.ModelWeightsFileName)));
        Assert.False(File.Exists(Path.Combine(checkpoint, "config.json")));

        var resumed = new List<double>();
        using (var model = new TinyCausalLM(vocab: Vocab, seed: 77))
            TrainingLoop.Run(model, data, Sft(model), Options(folder.Path) with { MaxSteps = 3, SaveSteps = 1 },
                new TrainingCallbacks { OnStep = p => resumed.Add(p.Loss) }, resumeFromCheckpoint: checkpoint);
        Assert.Equal(straight.Skip(1), resumed, (a, b) => Math.Abs(a - b) <= 1e-6);
    }

    [Fact]
    public void ResumingWithDifferentSettingsIsRefusedWithTheKeyThatDiffers()
    {
        var data = Examples(6);
        using var folder = new TemporaryFolder();
        using (var model = TinyModel(seed: 3))
            TrainingLoop.Run(model, data, Sft(model), Options(folder.Path) with { MaxSteps = 2, SaveSteps = 1 });
        using var fresh = TinyModel(seed: 3);
        var error = Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(fresh, data, Sft(fresh),
            Options(folder.Path) with { MaxSteps = 2, SaveSteps = 1, PerDeviceTrainBatchSize = 3 },
            resumeFromCheckpoint: Path.Combine(folder.Path, "checkpoint-1")));
        Assert.Contains("per_device_train_batch_size", error.Message);
    }
}

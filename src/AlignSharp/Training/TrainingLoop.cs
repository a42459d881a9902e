using System.Diagnostics;
using AlignSharp.Objectives;
using AlignSharp.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Training;

/// <summary>
/// The one training loop every objective runs through, written out so it reads top to bottom:
/// seed → optimizer → (resume) → for each optimizer step: forward/backward its micro-batches, check,
/// clip, schedule, update → log, evaluate, checkpoint. The objective is a function from a micro-batch to
/// a loss (<see cref="TrainingObjective{TExample}"/>); nothing here knows which method is being trained.
/// </summary>
/// <remarks>
/// The loop sees only an <see cref="nn.Module"/> and builds AdamW over its trainable (fp32) parameters.
/// Mixed precision plugs in there: a module whose forward runs in bf16 and whose parameters are the
/// fp32 master weights, so the optimizer, clipping and checkpoints below stay in fp32 unchanged.
/// </remarks>
public static class TrainingLoop
{
    /// <summary>Subfolder of <c>output_dir</c> for TensorBoard event files (<c>tensorboard --logdir output_dir</c>).</summary>
    public const string EventsFolder = "runs";

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="trainData"/> with <paramref name="objective"/>.
    /// <paramref name="resumeFromCheckpoint"/>: a <c>checkpoint-&lt;step&gt;</c> folder of an earlier run with the
    /// same data and options; the run then continues exactly the curve the uninterrupted run would have drawn.
    /// Throws <see cref="TrainingDivergedException"/> when a loss or gradient norm is not finite.
    /// </summary>
    public static TrainingResult Run<TExample>(
        nn.Module model,
        IReadOnlyList<TExample> trainData,
        TrainingObjective<TExample> objective,
        TrainingOptions options,
        TrainingCallbacks? callbacks = null,
        string? resumeFromCheckpoint = null)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run(model, new DatasetStepSource<TExample>(trainData, options, objective.Tokens), objective, options, callbacks, resumeFromCheckpoint);
    }

    /// <summary>
    /// Trains <paramref name="model"/> on the steps <paramref name="source"/> draws (a dataset, or rollouts of the policy
    /// itself); otherwise as the dataset overload. The source's batch sizes must be the options' ones.
    /// </summary>
    public static TrainingResult Run<TExample>(
        nn.Module model,
        IStepSource<TExample> source,
        TrainingObjective<TExample> objective,
        TrainingOptions options,
        TrainingCallbacks? callbacks = null,
        string? resumeFromCheckpoint = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (source.MicroBatchSize != options.PerDeviceTrainBatchSize || source.AccumulationSteps != options.GradientAccumulationSteps)
            throw new ArgumentException(
                $"the step source cuts steps into {source.AccumulationSteps} micro-batch(es) of {source.MicroBatchSize}, the options say " +
                $"gradient_accumulation_steps = {options.GradientAccumulationSteps} of per_device_train_batch_size = {options.PerDeviceTrainBatchSize}", nameof(source));
        callbacks ??= new TrainingCallbacks();
        if (options.EvalSteps > 0 && callbacks.Evaluate is null)
            throw new ArgumentException($"eval_steps = {options.EvalSteps} but no evaluation was given; set eval_steps = 0 to train without evaluation",
                nameof(callbacks));
        Func<TExample, long> lossTokensOf = objective.LossTokens ?? objective.Tokens;

        // The run's shape: how many steps, the schedule (the source knows which examples each step reads).
        int totalSteps = options.MaxSteps > 0 ? options.MaxSteps : (int)Math.Ceiling(options.NumTrainEpochs * source.StepsPerEpoch);
        var schedule = LearningRateSchedule.Create(options.ToScheduleOptions(), totalSteps);

        // Seed libtorch's generator (dropout, sampling) as transformers' set_seed does; a resume overwrites it below.
        using (torch.manual_seed(options.Seed)) { }
        var parameters = OptimizerParameters.Of(model);
        Tensor[] trainable = parameters.All.Select(p => (Tensor)p.Parameter).ToArray();
        using var optimizer = parameters.CreateAdamW(options);

        int step = 0;
        var window = new LoggingWindow();
        var history = new List<MetricsRow>();
        string? lastCheckpoint = null;
        if (resumeFromCheckpoint is not null)
        {
            var resumed = TrainingCheckpoint.Load(resumeFromCheckpoint, model, optimizer, parameters.GroupNames());
            RequireSameRun(resumed, source, totalSteps, options, resumeFromCheckpoint);
            step = resumed.GlobalStep;
            source.RestoreState(resumeFromCheckpoint, step);
            window = resumed.LoggingWindow;
            history.AddRange(resumed.LogHistory);
            lastCheckpoint = resumeFromCheckpoint;
        }
        // Built after loading: the base rates come from the (restored) optimizer groups.
        var scheduler = new OptimizerLearningRateScheduler(optimizer, schedule);

        TrainingCheckpoint.DeleteUnfinished(options.OutputDir);
        using var metricsLog = MetricsJsonlLog.Open(options.OutputDir, resumeFromCheckpoint is null ? null : step);
        using var events = new TensorBoardEventWriter(Path.Combine(options.OutputDir, EventsFolder));
        if (resumeFromCheckpoint is not null) events.WriteSessionStart(step + 1);

        callbacks.OnStart?.Invoke(new TrainingStart(
            source.ExampleCount, source.MicroBatchSize, source.AccumulationSteps,
            source is DatasetStepSource<TExample>
                ? Math.Min(source.MicroBatchSize * source.AccumulationSteps, source.ExampleCount)
                : source.MicroBatchSize * source.AccumulationSteps,
            source.TokensPerStep ?? double.NaN, source.StepsPerEpoch, totalSteps, schedule.WarmupSteps,
            trainable.Sum(p => p.numel()), step, resumeFromCheckpoint));

        model.train();
        Gradients.SetToNone(trainable); // whatever the caller's last backward left must not leak into step 1
        var runClock = Stopwatch.StartNew();
        var logClock = Stopwatch.StartNew();
        int stepsThisRun = 0;
        long tokensThisRun = 0, tokensSinceLog = 0;

        while (step < totalSteps)
        {
            // 1. This step's examples (an online source samples them here), and the totals every micro-batch's loss is normalised by.
            var stepClock = Stopwatch.StartNew();
            StepBatch<TExample> batch = source.Step(step);
            double drawSeconds = stepClock.Elapsed.TotalSeconds;
            model.train();
            var microBatches = batch.MicroBatches;
            int stepExamples = microBatches.Sum(b => b.Count);
            long stepTokens = microBatches.Sum(b => b.Sum(objective.Tokens));
            long stepLossTokens = microBatches.Sum(b => b.Sum(lossTokensOf));

            // 2. Forward and backward, one micro-batch at a time; gradients accumulate in the parameters.
            double stepLoss = 0;
            var stepMetrics = new Dictionary<string, (double Sum, double Weight)>(StringComparer.Ordinal);
            for (int m = 0; m < microBatches.Count; m++)
            {
                using var scope = torch.NewDisposeScope();
                var context = new MicroBatchContext(step + 1, m, microBatches.Count, stepExamples, stepTokens, stepLossTokens);
                // An objective with its own backward has already accumulated this micro-batch's gradients; a
                // non-finite loss below still clears them (Diverged) before anything is applied.
                using var output = objective.LossAndBackward is { } lossAndBackward
                    ? RequireDetached(lossAndBackward(microBatches[m], context))
                    : objective.Loss(microBatches[m], context);
                double loss = output.Loss.ToDouble();
                if (!double.IsFinite(loss))
                    throw Diverged(trainable, step + 1, $"the loss of micro-batch {m + 1}/{microBatches.Count}", loss, lastCheckpoint);
                if (objective.LossAndBackward is null) output.Loss.backward();
                stepLoss += loss;
                // The objective's other metrics are micro-batch means: the step reports their example-weighted mean.
                foreach (var (name, value) in output.Metrics)
                {
                    if (name == "loss") continue; // the step's loss is the sum over micro-batches, not a mean
                    var (sum, weight) = stepMetrics.GetValueOrDefault(name);
                    stepMetrics[name] = (sum + value * microBatches[m].Count, weight + microBatches[m].Count);
                }
            }

            // 3. Check, clip, update. A non-finite norm stops the run before any parameter changes.
            double gradNorm = Gradients.TotalNorm(trainable);
            if (!double.IsFinite(gradNorm))
                throw Diverged(trainable, step + 1, "grad_norm", gradNorm, lastCheckpoint);
            Gradients.ClipToNorm(trainable, gradNorm, options.MaxGradNorm);
            double learningRate = options.LearningRate * scheduler.SetStep(step);
            optimizer.step();
            Gradients.SetToNone(trainable);
            step++;
            stepsThisRun++;
            tokensThisRun += stepTokens;
            tokensSinceLog += stepTokens;

            // 4. Report.
            double epoch = (double)step / source.StepsPerEpoch;
            var metrics = stepMetrics.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Weight, StringComparer.Ordinal);
            foreach (var (name, value) in batch.Metrics) metrics[name] = value;
            if (batch.ReportStepTime)
            {
                metrics["timing/update"] = stepClock.Elapsed.TotalSeconds - drawSeconds;
                metrics["step_time"] = stepClock.Elapsed.TotalSeconds;
            }
            window.Add(stepLoss, gradNorm, metrics);
            var elapsed = runClock.Elapsed;
            callbacks.OnStep?.Invoke(new TrainingProgress(step, totalSteps, epoch, stepLoss, learningRate, gradNorm,
                tokensThisRun / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed, elapsed / stepsThisRun * (totalSteps - step)));

            if (step % options.LoggingSteps == 0 || step == totalSteps)
            {
                var row = window.Flush(step, epoch, learningRate, tokensSinceLog / Math.Max(logClock.Elapsed.TotalSeconds, 1e-9));
                Record(row, metricsLog, events, history, callbacks);
                tokensSinceLog = 0;
                logClock.Restart();
            }

            // 5. Evaluate.
            if (callbacks.Evaluate is { } evaluate && options.EvalSteps > 0 && step % options.EvalSteps == 0)
            {
                IReadOnlyDictionary<string, double> evalMetrics;
                model.eval();
                using (torch.no_grad())
                using (torch.NewDisposeScope())
                    evalMetrics = evaluate(step);
                model.train();
                var values = evalMetrics.ToDictionary(kv => kv.Key.StartsWith("eval_", StringComparison.Ordinal) ? kv.Key : "eval_" + kv.Key, kv => kv.Value);
                Record(new MetricsRow(step, epoch, values), metricsLog, events, history, callbacks);
            }

            // 6. Checkpoint (atomic), including the state needed to continue this exact curve.
            if (options.SaveSteps > 0 && (step % options.SaveSteps == 0 || step == totalSteps))
            {
                var state = new TrainerState
                {
                    GlobalStep = step,
                    Epoch = epoch,
                    MaxSteps = totalSteps,
                    NumTrainExamples = source.ExampleCount,
                    TrainBatchSize = source.MicroBatchSize,
                    GradientAccumulationSteps = source.AccumulationSteps,
                    Seed = options.Seed,
                    DataPosition = source.PositionAfter(step),
                    LrSchedulerType = options.LrSchedulerType,
                    WarmupSteps = schedule.WarmupSteps,
                    OptimizerParameterNames = parameters.GroupNames(),
                    LoggingWindow = window,
                    LogHistory = history,
                };
                int completed = step;
                lastCheckpoint = TrainingCheckpoint.Save(options.OutputDir, model, optimizer, state, options.SaveTotalLimit,
                    folder => source.SaveState(folder, completed));
                callbacks.OnCheckpoint?.Invoke(lastCheckpoint);
            }
        }

        return new TrainingResult(step, (double)step / source.StepsPerEpoch, lastCheckpoint, history);
    }

    /// <summary>Writes a row to metrics.jsonl and TensorBoard, with transformers' tags (<c>train/loss</c>, <c>eval/loss</c>, <c>train/epoch</c>).</summary>
    static void Record(MetricsRow row, MetricsJsonlLog metricsLog, TensorBoardEventWriter events, List<MetricsRow> history, TrainingCallbacks callbacks)
    {
        metricsLog.Write(row);
        events.WriteScalars(row.Step, row.Values.Append(new("epoch", row.Epoch))
            .Select(kv => new KeyValuePair<string, double>(TensorBoardTag(kv.Key), kv.Value)));
        history.Add(row);
        callbacks.OnLog?.Invoke(row);
    }

    static string TensorBoardTag(string name) =>
        name.StartsWith("eval_", StringComparison.Ordinal) ? "eval/" + name["eval_".Length..] : "train/" + name;

    /// <summary>A graph on a self-back-propagated loss means the objective forgot to detach it (and its graph stays alive).</summary>
    static ObjectiveOutput RequireDetached(ObjectiveOutput output)
    {
        if (!output.Loss.requires_grad) return output;
        output.Dispose();
        throw new InvalidOperationException("TrainingObjective.LossAndBackward must back-propagate itself and return the loss detached; it returned a loss that requires grad");
    }

    static TrainingDivergedException Diverged(Tensor[] trainable, int step, string quantity, double value, string? lastCheckpoint)
    {
        Gradients.SetToNone(trainable); // nothing of the bad step may reach a later update
        return new TrainingDivergedException(step, quantity, value, lastCheckpoint);
    }

    static void RequireSameRun<TExample>(TrainerState saved, IStepSource<TExample> source, int totalSteps, TrainingOptions options, string folder)
    {
        void Require(bool same, string key, object savedValue, object currentValue)
        {
            if (!same)
                throw new InvalidOperationException(
                    $"cannot resume from '{folder}': it was trained with {key} = {savedValue}, this run has {currentValue}; " +
                    "an exact resume needs the same data and settings");
        }

        Require(saved.NumTrainExamples == source.ExampleCount, "a training set of", saved.NumTrainExamples, source.ExampleCount);
        Require(saved.TrainBatchSize == source.MicroBatchSize, "per_device_train_batch_size", saved.TrainBatchSize, source.MicroBatchSize);
        Require(saved.GradientAccumulationSteps == source.AccumulationSteps, "gradient_accumulation_steps", saved.GradientAccumulationSteps, source.AccumulationSteps);
        Require(saved.Seed == options.Seed, "seed", saved.Seed, options.Seed);
        Require(saved.MaxSteps == totalSteps, "a total of steps (max_steps or num_train_epochs)", saved.MaxSteps, totalSteps);
        Require(saved.LrSchedulerType == options.LrSchedulerType, "lr_scheduler_type", saved.LrSchedulerType, options.LrSchedulerType);
        Require(saved.GlobalStep <= totalSteps, "global step", saved.GlobalStep, $"at most {totalSteps}");
        Require(saved.DataPosition == source.PositionAfter(saved.GlobalStep), "a data position", saved.DataPosition, source.PositionAfter(saved.GlobalStep));
    }
}

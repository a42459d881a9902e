using System.Diagnostics;
using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Runtime;
using AlignSharp.Scoring;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Bench;

/// <summary>
/// One configuration (objective × precision) of the reference model trained in this process: warm-up
/// steps, then timed steps, each a full optimizer step (forward, loss, backward, AdamW lr 1e-5, no weight decay).
/// SFT: token-mean NLL over the completion tokens of 8 sequences.
/// DPO: 8 pairs against reference log-probs computed once before training (the cached pass, so one
/// model is resident), with the library's steps: by default <see cref="PairSplitPassStep"/> (chosen and rejected
/// rows back-propagated one after the other, each with the other's log-probs as constants, the rejected ones from
/// an extra no-grad forward first), so activations of 8 sequences are alive at a time, as in SFT;
/// <c>--dpo-concat</c> runs all 16 rows in one pass instead (<see cref="PairConcatenatedPass"/>).
/// </summary>
public sealed class TrainStepBenchmark : IDisposable
{
    readonly TrainObjective _objective;
    readonly Precision _precision;
    readonly bool _dpoConcatenated;
    readonly CausalLM _model;
    readonly CompletionScorer _scorer;
    readonly optim.Optimizer _optimizer;
    readonly ScoringRow[] _sftRows = [];
    readonly PreferenceBatch? _pairs;
    readonly Tensor? _referenceChosen, _referenceRejected;
    readonly PairSplitPassStep? _split;
    readonly PairConcatenatedPass? _concatenated;
    readonly PairLoss? _dpo;
    readonly SftLoss _sft = new();

    public TrainStepBenchmark(TrainObjective objective, Precision precision, bool dpoConcatenated, bool trimBetweenPasses, long seed)
    {
        _objective = objective;
        _precision = precision;
        _dpoConcatenated = dpoConcatenated;
        _model = new CausalLM(ReferenceConfiguration.Model());
        _model.InitializeWeights(seed);
        _model.Precision = precision;
        _model.train();
        _scorer = new CompletionScorer(_model);
        // The recipes' optimizer (LeanAdamW, no decay on norms), at the reference script's settings.
        _optimizer = OptimizerParameters.Of(_model).CreateAdamW(new TrainingOptions { LearningRate = 1e-5, WeightDecay = 0.0 });
        var random = new Random((int)seed);
        if (objective == TrainObjective.Sft)
            _sftRows = ReferenceConfiguration.Rows(ReferenceConfiguration.Batch, random);
        else
        {
            var (chosen, rejected) = ReferenceConfiguration.Pairs(ReferenceConfiguration.Batch, random);
            var pairs = chosen.Zip(rejected, (c, r) => new TokenizedPair(default, Sequence(c), Sequence(r))).ToArray();
            _pairs = BatchCollator.CollatePairs(pairs, paddingId: 0);
            // The cached reference pass: the initial model, no gradients, done once before training.
            int chunk = _scorer.Options.ChunkPositions;
            var (referenceChosen, referenceRejected) = ReferenceLogProbCache.Compute(_model, pairs, paddingId: 0, ReferenceConfiguration.Batch, chunk);
            _referenceChosen = tensor(referenceChosen.Select(v => (float)v).ToArray());
            _referenceRejected = tensor(referenceRejected.Select(v => (float)v).ToArray());
            _dpo = PairLosses.Dpo(new DpoLoss(new DpoOptions()), _referenceChosen, _referenceRejected, pairNormaliser: null);
            _split = new PairSplitPassStep(_model, chunk, trimBetweenPasses);
            _concatenated = new PairConcatenatedPass(_model, chunk);
        }
    }

    /// <summary>A row as the recipes see it: prompt then completion, the loss on the completion.</summary>
    static TokenizedSequence Sequence(ScoringRow row) => new(
        [.. row.PromptIds, .. row.CompletionIds],
        [.. row.PromptIds.Select(_ => false), .. row.CompletionIds.Select(_ => true)],
        row.PromptIds.Count);

    public int TokensPerStep => ReferenceConfiguration.SequenceLength * ReferenceConfiguration.Batch * (_objective == TrainObjective.Dpo ? 2 : 1);

    public TrainRunResult Run(int warmupSteps, int timedSteps, int threads)
    {
        for (int i = 0; i < warmupSteps; i++) Step();
        double rssBefore = PeakMemory.CurrentMegabytes();
        var steps = new List<StepTiming>();
        for (int i = 0; i < timedSteps; i++) steps.Add(Step());
        return new TrainRunResult(
            "alignsharp", _objective.ToString().ToLowerInvariant(), _precision.Name(), threads, TokensPerStep,
            steps.Select(s => s.Total).ToArray(), steps.Select(s => s.Cpu).ToArray(), steps.Select(s => s.Forward).ToArray(), steps.Select(s => s.Backward).ToArray(),
            steps.Select(s => s.Optimizer).ToArray(), steps.Select(s => s.Loss).ToArray(),
            PeakMemory.PeakMegabytes(), rssBefore);
    }

    /// <summary>Total is wall time; the phases are CPU time.</summary>
    sealed record StepTiming(double Total, double Cpu, double Forward, double Backward, double Optimizer, double Loss);



    StepTiming Step()
    {
        using var scope = NewDisposeScope();
        var wall = Stopwatch.StartNew();
        var clock = new CpuClock();
        _optimizer.zero_grad();
        var (loss, forward, backward) = _objective == TrainObjective.Sft ? SftStep(clock) : _dpoConcatenated ? DpoConcatenatedStep(clock) : DpoSplitStep(clock);
        double beforeOptimizer = clock.Seconds;
        _optimizer.step();
        double cpu = clock.Seconds;
        double total = wall.Elapsed.TotalSeconds;
        if (!double.IsFinite(loss)) throw new InvalidOperationException($"loss is {loss}");
        return new StepTiming(total, cpu, forward, backward, cpu - beforeOptimizer, loss);
    }

    (double Loss, double Forward, double Backward) SftStep(CpuClock clock)
    {
        using var logProbs = _scorer.LogProbs(_sftRows);
        using var output = _sft.Compute(logProbs.TokenLogProbs, logProbs.CompletionMask);
        double forward = clock.Seconds;
        output.Loss.backward();
        return (output.Metrics[MetricNames.Loss], forward, clock.Seconds - forward);
    }

    (double Loss, double Forward, double Backward) DpoConcatenatedStep(CpuClock clock)
    {
        using var output = _concatenated!.Loss(_pairs!, _dpo!);
        double forward = clock.Seconds;
        output.Loss.backward();
        return (output.Metrics[MetricNames.Loss], forward, clock.Seconds - forward);
    }

    (double Loss, double Forward, double Backward) DpoSplitStep(CpuClock clock)
    {
        double forward = 0, backward = 0, mark = clock.Seconds;
        void PhaseEnded(PairPassPhase phase)
        {
            double now = clock.Seconds;
            if (phase == PairPassPhase.Forward) forward += now - mark; else backward += now - mark;
            mark = now;
        }
        using var output = _split!.Run(_pairs!, _dpo!, PhaseEnded);
        return (output.Metrics[MetricNames.Loss], forward, backward);
    }

    public void Dispose()
    {
        _pairs?.Dispose();
        _referenceChosen?.Dispose();
        _referenceRejected?.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}

using System.Diagnostics;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Runtime;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Bench;

/// <summary>
/// One configuration (objective × precision) of the reference model trained in this process: warm-up
/// steps, then timed steps, each a full optimizer step (forward, loss, backward, AdamW lr 1e-5, no weight decay).
/// SFT: token-mean NLL over the completion tokens of 8 sequences.
/// DPO: 8 pairs against reference log-probs computed once before training (the cached pass, so one
/// model is resident). By default chosen and rejected rows are back-propagated one after the other
/// (exact: each pass uses the other's log-probs as constants, the rejected ones from an extra no-grad
/// forward first), so activations of 8 sequences are alive at a time, as in SFT; <c>--dpo-concat</c> runs
/// all 16 rows in one pass instead.
/// </summary>
public sealed class TrainStepBenchmark : IDisposable
{
    readonly TrainObjective _objective;
    readonly Precision _precision;
    readonly bool _dpoConcatenated;
    readonly bool _trimBetweenPasses;
    readonly CausalLM _model;
    readonly CompletionScorer _scorer;
    readonly optim.Optimizer _optimizer;
    readonly ScoringRow[] _sftRows = [];
    readonly ScoringRow[] _chosen = [], _rejected = [];
    readonly Tensor? _referenceChosen, _referenceRejected;
    readonly SftLoss _sft = new();
    readonly DpoLoss _dpo = new(new DpoOptions());

    public TrainStepBenchmark(TrainObjective objective, Precision precision, bool dpoConcatenated, bool trimBetweenPasses, long seed)
    {
        _trimBetweenPasses = trimBetweenPasses;
        _objective = objective;
        _precision = precision;
        _dpoConcatenated = dpoConcatenated;
        _model = new CausalLM(ReferenceConfiguration.Model());
        _model.InitializeWeights(seed);
        _model.Precision = precision;
        _model.train();
        _scorer = new CompletionScorer(_model);
        _optimizer = optim.AdamW(_model.parameters(), lr: 1e-5, weight_decay: 0.0);
        var random = new Random((int)seed);
        if (objective == TrainObjective.Sft)
            _sftRows = ReferenceConfiguration.Rows(ReferenceConfiguration.Batch, random);
        else
        {
            (_chosen, _rejected) = ReferenceConfiguration.Pairs(ReferenceConfiguration.Batch, random);
            // The cached reference pass: the initial model, no gradients, done once before training.
            using var noGrad = no_grad();
            using (var chosen = _scorer.LogProbs(_chosen)) _referenceChosen = chosen.Sum.detach();
            using (var rejected = _scorer.LogProbs(_rejected)) _referenceRejected = rejected.Sum.detach();
        }
    }

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
        using var logProbs = _scorer.LogProbs([.. _chosen, .. _rejected]);
        int pairs = _chosen.Length;
        using var output = _dpo.Compute(logProbs.Sum.narrow(0, 0, pairs), logProbs.Sum.narrow(0, pairs, pairs), _referenceChosen!, _referenceRejected!);
        double forward = clock.Seconds;
        output.Loss.backward();
        return (output.Metrics[MetricNames.Loss], forward, clock.Seconds - forward);
    }

    (double Loss, double Forward, double Backward) DpoSplitStep(CpuClock clock)
    {
        double forward = 0, backward = 0, mark = clock.Seconds;
        void Forward() { double now = clock.Seconds; forward += now - mark; mark = now; }
        void Backward() { double now = clock.Seconds; backward += now - mark; mark = now; }

        // The no-grad pass first, while no graph is alive, so its transient memory does not add to the peak.
        Tensor rejectedValue;
        using (no_grad())
        using (var rejected = _scorer.LogProbs(_rejected))
            rejectedValue = rejected.Sum.detach();
        if (_trimBetweenPasses) NativeHeap.Trim(); // the no-grad pass's temporaries are free now
        using var chosen = _scorer.LogProbs(_chosen);
        double loss;
        using (var output = _dpo.Compute(chosen.Sum, rejectedValue, _referenceChosen!, _referenceRejected!))
        {
            Forward();
            loss = output.Metrics[MetricNames.Loss];
            output.Loss.backward();
            Backward();
        }
        if (_trimBetweenPasses) NativeHeap.Trim(); // the chosen pass's activations are free now
        using (var rejected = _scorer.LogProbs(_rejected))
        using (var output = _dpo.Compute(chosen.Sum.detach(), rejected.Sum, _referenceChosen!, _referenceRejected!))
        {
            Forward();
            output.Loss.backward();
            Backward();
        }
        return (loss, forward, backward);
    }

    public void Dispose()
    {
        _referenceChosen?.Dispose();
        _referenceRejected?.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}

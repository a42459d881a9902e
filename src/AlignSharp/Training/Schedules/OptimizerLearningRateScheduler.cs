using static TorchSharp.torch;

namespace AlignSharp.Training.Schedules;

/// <summary>
/// Applies a <see cref="LearningRateSchedule"/> to a TorchSharp optimizer: every param group's
/// learning rate becomes its base rate times the multiplier (LambdaLR semantics). The base rate
/// is the group's <c>InitialLearningRate</c>, which TorchSharp keeps in the optimizer state, so a
/// resumed optimizer gets the same rates as an uninterrupted one. Call <see cref="SetStep"/> with
/// the number of optimizer steps taken so far, before each <c>optimizer.step()</c>.
/// </summary>
public sealed class OptimizerLearningRateScheduler
{
    private readonly optim.ILearningRateController[] _groups;
    private readonly double[] _baseRates;

    public OptimizerLearningRateScheduler(optim.Optimizer optimizer, LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        _groups = optimizer.ParamGroups.ToArray();
        if (_groups.Length == 0)
            throw new ArgumentException("the optimizer has no param groups to schedule", nameof(optimizer));
        _baseRates = _groups.Select(g => g.InitialLearningRate).ToArray();
        for (int i = 0; i < _baseRates.Length; i++)
        {
            if (!(_baseRates[i] > 0) || !double.IsFinite(_baseRates[i]))
                throw new ArgumentException($"param group {i} has initial learning rate {_baseRates[i]}; a schedule scales a positive base rate", nameof(optimizer));
        }
        Schedule = schedule;
    }

    public LearningRateSchedule Schedule { get; }

    /// <summary>The base learning rate of each param group, in the optimizer's order.</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseRates;

    /// <summary>Sets every group's learning rate for the update after <paramref name="step"/> steps; returns the multiplier.</summary>
    public double SetStep(int step)
    {
        double multiplier = Schedule.Multiplier(step);
        for (int i = 0; i < _groups.Length; i++)
            _groups[i].LearningRate = _baseRates[i] * multiplier;
        return multiplier;
    }
}

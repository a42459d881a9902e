namespace AlignSharp.Training;

/// <summary>
/// Sums over the optimizer steps since the last metrics row; a row reports their means. Saved in
/// <c>trainer_state.json</c>, so a run resumed between two rows reports the same means as an uninterrupted one.
/// </summary>
public sealed class LoggingWindow
{
    public int Steps { get; set; }

    public double LossSum { get; set; }

    public double GradNormSum { get; set; }

    /// <summary>Per objective metric: the sum of the steps' values and how many steps had it.</summary>
    public Dictionary<string, MetricSum> Metrics { get; set; } = new(StringComparer.Ordinal);

    public void Add(double loss, double gradNorm, IReadOnlyDictionary<string, double> stepMetrics)
    {
        Steps++;
        LossSum += loss;
        GradNormSum += gradNorm;
        foreach (var (name, value) in stepMetrics)
        {
            var sum = Metrics.GetValueOrDefault(name) ?? new MetricSum();
            Metrics[name] = sum with { Sum = sum.Sum + value, Count = sum.Count + 1 };
        }
    }

    /// <summary>The means as a row (loss, learning_rate, grad_norm, tokens_per_second, then the objective's metrics), and a reset.</summary>
    public MetricsRow Flush(int step, double epoch, double learningRate, double tokensPerSecond)
    {
        if (Steps == 0) throw new InvalidOperationException("no step to report since the last metrics row");
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = LossSum / Steps,
            ["learning_rate"] = learningRate,
            ["grad_norm"] = GradNormSum / Steps,
            ["tokens_per_second"] = tokensPerSecond,
        };
        foreach (var (name, sum) in Metrics)
            values.TryAdd(name, sum.Sum / sum.Count);
        Steps = 0;
        LossSum = 0;
        GradNormSum = 0;
        Metrics.Clear();
        return new MetricsRow(step, epoch, values);
    }
}

/// <summary>A running sum of one metric over <see cref="Count"/> steps.</summary>
public sealed record MetricSum
{
    public double Sum { get; init; }

    public int Count { get; init; }
}

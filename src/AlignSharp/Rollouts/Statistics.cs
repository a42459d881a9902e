namespace AlignSharp.Rollouts;

/// <summary>The small statistics the rollout metrics use, with torch.std's convention (Bessel's correction; 0 for one value).</summary>
public static class Statistics
{
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}

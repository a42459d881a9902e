namespace AlignSharp.Recipes;

/// <summary>
/// A-LoL's leftover-lunch filter and priority sampling (LoL-RL <c>good_priority</c>): rows are drawn with
/// replacement with probability ∝ A⁺ = max(A, 0), so rows with A ≤ 0 are never drawn. Seeded.
/// </summary>
public static class ALoLPrioritySampler
{
    /// <summary><paramref name="count"/> row indices drawn i.i.d. with P(i) = A⁺_i / Σ A⁺.</summary>
    public static int[] Draw(IReadOnlyList<double> advantages, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(advantages);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be 0 or more");
        if (advantages.Any(a => double.IsNaN(a))) throw new ArgumentException("A-LoL: an advantage is NaN", nameof(advantages));
        var cumulative = new double[advantages.Count];
        double total = 0;
        for (int i = 0; i < advantages.Count; i++)
        {
            total += Math.Max(advantages[i], 0);
            cumulative[i] = total;
        }
        if (!(total > 0))
            throw new InvalidOperationException(
                $"A-LoL: none of the {advantages.Count} training rows has a positive advantage, so there is nothing to learn from; check the rewards and the value head");
        var random = new Random(seed);
        var drawn = new int[count];
        for (int k = 0; k < count; k++)
        {
            double u = random.NextDouble() * total;
            drawn[k] = FirstAbove(cumulative, u);
        }
        return drawn;
    }

    // First i with cumulative[i] > u (u < total): a zero-weight row repeats its predecessor's sum, so it is never first.
    private static int FirstAbove(double[] cumulative, double u)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (cumulative[mid] > u) high = mid;
            else low = mid + 1;
        }
        // u can round up to the total itself: fall back to the last row that has weight.
        while (low > 0 && (cumulative[low] <= u || cumulative[low] == cumulative[low - 1])) low--;
        return low;
    }

    /// <summary>Fraction of rows with A &gt; 0 (the code scales max_steps by it).</summary>
    public static double PositiveFraction(IReadOnlyList<double> advantages) =>
        advantages.Count == 0 ? 0 : advantages.Count(a => a > 0) / (double)advantages.Count;
}

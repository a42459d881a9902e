namespace AlignSharp.Cli.Experiments.ALoLNoisy;

/// <summary>Distinct-n (Li et al., 2016): unique word n-grams / all word n-grams over a set of completions.</summary>
public static class DistinctNGrams
{
    public static double Compute(IEnumerable<string> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (string text in texts)
        {
            string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i + n <= words.Length; i++)
            {
                seen.Add(string.Join(' ', words, i, n));
                total++;
            }
        }
        return total == 0 ? 0 : seen.Count / (double)total;
    }
}

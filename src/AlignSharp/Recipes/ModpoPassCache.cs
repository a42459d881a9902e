using System.Security.Cryptography;
using System.Text.Json;
using AlignSharp.Checkpoints;
using AlignSharp.Data;

namespace AlignSharp.Recipes;

/// <summary>
/// MODPO's pre-training pass kept in <c>output_dir/modpo_pass.json</c>: the reference log-probs of every pair and
/// every margin scorer's reward of both responses (algorithms.md §2: margins depend only on (x, y), so computing them
/// once is exact). The fingerprint covers the reference cache's (tokenised pairs, reference folder) and the scorers'
/// names, so a resumed run reads it back and any change recomputes it.
/// </summary>
public static class ModpoPassCache
{
    public const string FileName = "modpo_pass.json";

    /// <summary>The cached pass: per pair, reference log-probs and margin rewards (one per scorer).</summary>
    public sealed record Pass(string Fingerprint, string Reference, IReadOnlyList<string> Scorers,
        double[] ReferenceChosen, double[] ReferenceRejected, double[][] ChosenMargins, double[][] RejectedMargins);

    public static string Fingerprint(IReadOnlyList<TokenizedPair> pairs, string referenceDir, IEnumerable<string> scorerNames)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(ReferenceLogProbCache.Fingerprint(pairs, referenceDir) + "\n"));
        foreach (string name in scorerNames) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\n"));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public static Pass? TryRead(string outputDir, string fingerprint)
    {
        string path = Path.Combine(outputDir, FileName);
        if (!File.Exists(path)) return null;
        Pass? pass;
        try { pass = JsonSerializer.Deserialize<Pass>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
        return pass is not null && pass.Fingerprint == fingerprint ? pass : null;
    }

    public static void Write(string outputDir, Pass pass)
    {
        Directory.CreateDirectory(outputDir);
        AtomicFile.WriteAllText(Path.Combine(outputDir, FileName), JsonSerializer.Serialize(pass));
    }
}

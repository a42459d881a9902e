using System.Security.Cryptography;
using System.Text.Json;
using AlignSharp.Checkpoints;
using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Runtime;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// The frozen reference's log-probs of every pair, computed in one no-grad pass before training and kept in
/// <c>output_dir/reference_logps.json</c> (DESIGN.md: a fixed reference is a cached pass, so DPO holds one model).
/// The file records a fingerprint of the tokenised pairs and of the reference folder; a resumed or repeated run
/// with the same data and reference reads it back instead of recomputing, anything else recomputes it.
/// </summary>
public static class ReferenceLogProbCache
{
    public const string FileName = "reference_logps.json";

    sealed record CacheFile(string Fingerprint, string Reference, double[] Chosen, double[] Rejected);

    /// <summary>The cached values when the file matches; else null.</summary>
    public static (double[] Chosen, double[] Rejected)? TryRead(string outputDir, string fingerprint)
    {
        string path = Path.Combine(outputDir, FileName);
        if (!File.Exists(path)) return null;
        CacheFile? file;
        try { file = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
        return file is not null && file.Fingerprint == fingerprint ? (file.Chosen, file.Rejected) : null;
    }

    public static void Write(string outputDir, string fingerprint, string reference, double[] chosen, double[] rejected)
    {
        Directory.CreateDirectory(outputDir);
        AtomicFile.WriteAllText(Path.Combine(outputDir, FileName),
            JsonSerializer.Serialize(new CacheFile(fingerprint, reference, chosen, rejected)));
    }

    /// <summary>
    /// SHA-256 of every pair's ids and loss masks and of the reference folder's weight files (names and sizes)
    /// and config: enough to notice other data, other truncation or another reference.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<TokenizedPair> pairs, string referenceDir)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        foreach (TokenizedPair pair in pairs)
            foreach (TokenizedSequence sequence in pair.Sequences)
                Add(string.Join(',', sequence.InputIds) + "|" + string.Concat(sequence.LossMask.Select(m => m ? '1' : '0')));
        Add(File.ReadAllText(Path.Combine(referenceDir, ModelConfig.FileName)));
        foreach (string file in Directory.GetFiles(referenceDir, "*.safetensors").Order(StringComparer.Ordinal))
            Add($"{Path.GetFileName(file)}:{new FileInfo(file).Length}");
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>
    /// The reference pass of a run: with the starting <paramref name="policy"/> itself when <paramref name="referenceModel"/>
    /// is null, else with that folder, loaded only for this pass (same vocabulary required) and run at <paramref name="precision"/>.
    /// </summary>
    public static (double[] Chosen, double[] Rejected) ComputeWith(CausalLM policy, string? referenceModel, IReadOnlyList<TokenizedPair> pairs,
        int paddingId, int batchSize, int chunkPositions, Precision precision, string method)
    {
        if (referenceModel is null) return Compute(policy, pairs, paddingId, batchSize, chunkPositions);
        using CausalLM reference = PretrainedModels.LoadCausalLM(referenceModel);
        reference.Precision = precision;
        if (reference.VocabSize != policy.VocabSize)
            throw new InvalidDataException(
                $"{referenceModel}: the reference's vocab_size {reference.VocabSize} differs from the policy's {policy.VocabSize}; {method} compares log-probs of the same token ids");
        return Compute(reference, pairs, paddingId, batchSize, chunkPositions);
    }

    /// <summary>Sums of log π_ref over each sequence's trained tokens, without gradients, in input order.</summary>
    public static (double[] Chosen, double[] Rejected) Compute(CausalLM reference, IReadOnlyList<TokenizedPair> pairs, int paddingId, int batchSize, int chunkPositions)
    {
        var chosen = new double[pairs.Count];
        var rejected = new double[pairs.Count];
        bool wasTraining = reference.training;
        reference.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < pairs.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = pairs.Skip(start).Take(batchSize).ToArray();
                using PreferenceBatch collated = BatchCollator.CollatePairs(batch, paddingId);
                using LossTokenLogProbs c = LossTokenLogProbs.Compute(reference, collated.Chosen, chunkPositions);
                using LossTokenLogProbs r = LossTokenLogProbs.Compute(reference, collated.Rejected, chunkPositions);
                float[] cs = c.Sum.data<float>().ToArray(), rs = r.Sum.data<float>().ToArray();
                for (int i = 0; i < batch.Length; i++)
                {
                    chosen[start + i] = cs[i];
                    rejected[start + i] = rs[i];
                }
            }
        }
        finally
        {
            if (wasTraining) reference.train();
        }
        return (chosen, rejected);
    }
}

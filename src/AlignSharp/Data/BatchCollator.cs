using AlignSharp.Text;
using static TorchSharp.torch;

namespace AlignSharp.Data;

/// <summary>Builds right-padded tensor batches from tokenised sequences (on the CPU; move them where the model is).</summary>
public static class BatchCollator
{
    /// <summary>
    /// The id written into padding: the tokenizer's pad token, else EOS, else 0. Padding is never attended
    /// to nor counted, so its value only has to be a valid id.
    /// </summary>
    public static int PaddingId(ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.PadTokenId ?? tokenizer.EosTokenId ?? 0;
    }

    /// <summary>SFT / scored sequences, right-padded to the longest (or to <paramref name="padToLength"/> when longer).</summary>
    public static SequenceBatch Collate(IReadOnlyList<TokenizedSequence> sequences, int paddingId, int padToLength = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("cannot collate an empty batch", nameof(sequences));
        int batch = sequences.Count;
        int time = Math.Max(padToLength, sequences.Max(s => s.Length));
        var ids = new long[batch * time];
        var attention = new long[batch * time];
        var loss = new bool[batch * time];
        var labels = new long[batch * time];
        Array.Fill(ids, paddingId);
        Array.Fill(labels, SequenceBatch.IgnoreIndex);
        for (int b = 0; b < batch; b++)
        {
            TokenizedSequence sequence = sequences[b];
            for (int t = 0; t < sequence.Length; t++)
            {
                int at = b * time + t;
                ids[at] = sequence.InputIds[t];
                attention[at] = 1;
                loss[at] = sequence.LossMask[t];
                if (loss[at]) labels[at] = sequence.InputIds[t];
            }
        }
        long[] shape = [batch, time];
        return new SequenceBatch(
            tensor(ids, shape, int64), tensor(attention, shape, int64), tensor(loss, shape, @bool), tensor(labels, shape, int64),
            sequences.Select(s => s.Length).ToArray(), sequences.Select(s => s.PromptLength).ToArray());
    }

    /// <summary>Preference pairs: chosen and rejected batches padded to the same length.</summary>
    public static PreferenceBatch CollatePairs(IReadOnlyList<TokenizedPair> pairs, int paddingId)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("cannot collate an empty batch", nameof(pairs));
        int time = pairs.Max(p => Math.Max(p.Chosen.Length, p.Rejected.Length));
        SequenceBatch chosen = Collate(pairs.Select(p => p.Chosen).ToArray(), paddingId, time);
        try
        {
            return new PreferenceBatch(chosen, Collate(pairs.Select(p => p.Rejected).ToArray(), paddingId, time));
        }
        catch
        {
            chosen.Dispose();
            throw;
        }
    }
}

namespace AlignSharp.Data;

/// <summary>Chosen and rejected sequences of the same pairs, in the same order, padded to one common length (so they can be concatenated).</summary>
public sealed class PreferenceBatch(SequenceBatch chosen, SequenceBatch rejected) : IDisposable
{
    public SequenceBatch Chosen { get; } = chosen;

    public SequenceBatch Rejected { get; } = rejected;

    public void Dispose()
    {
        Chosen.Dispose();
        Rejected.Dispose();
    }
}

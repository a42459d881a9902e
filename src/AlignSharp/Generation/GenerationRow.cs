namespace AlignSharp.Generation;

/// <summary>A row's state during generation: its left-padded sequence so far and what it produced.</summary>
internal sealed class GenerationRow
{
    public GenerationRow(int inputIndex, IReadOnlyList<int> prompt, int paddedPromptLength)
    {
        InputIndex = inputIndex;
        PromptLength = prompt.Count;
        int padding = paddedPromptLength - prompt.Count;
        for (int t = 0; t < padding; t++) { Sequence.Add(LeftPaddingId); Mask.Add(0); }
        foreach (int id in prompt) { Sequence.Add(id); Mask.Add(1); }
    }

    /// <summary>Never attended to, so any valid id works.</summary>
    public const long LeftPaddingId = 0;

    public int InputIndex { get; }
    public int PromptLength { get; }
    /// <summary>Left padding, prompt, generated tokens.</summary>
    public List<long> Sequence { get; } = new();
    /// <summary>0 for left padding, 1 for real tokens; as long as <see cref="Sequence"/>.</summary>
    public List<long> Mask { get; } = new();
    public List<int> Generated { get; } = new();
    public List<float> LogProbs { get; } = new();
    public List<float> SamplingLogProbs { get; } = new();
    public FinishReason? Finish { get; set; }
    public string? Text { get; set; }

    /// <summary>Position id of sequence index <paramref name="t"/>: real tokens count from 0, padding gets 1 (as Hugging Face).</summary>
    public long PositionAt(int t)
    {
        int padding = Sequence.Count - PromptLength - Generated.Count;
        return t < padding ? 1 : t - padding;
    }

    public void Append(int tokenId, float logProb, float samplingLogProb)
    {
        SamplingLogProbs.Add(samplingLogProb);
        Sequence.Add(tokenId);
        Mask.Add(1);
        Generated.Add(tokenId);
        LogProbs.Add(logProb);
    }

    public GeneratedSequence ToResult() =>
        new(Generated.ToArray(), LogProbs.ToArray(), Finish ?? FinishReason.Length, Text) { SamplingLogProbs = SamplingLogProbs.ToArray() };
}

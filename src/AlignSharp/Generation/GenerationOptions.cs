namespace AlignSharp.Generation;

/// <summary>
/// How <see cref="SequenceGenerator"/> picks tokens. Sampling applies, in this order, temperature, top-k and
/// top-p (as Hugging Face). Greedy decoding (argmax) when <see cref="DoSample"/> is false or
/// <see cref="Temperature"/> is 0.
/// </summary>
/// <param name="MaxNewTokens">Most tokens generated per row.</param>
/// <param name="Temperature">Divides the logits before sampling; 0 means greedy.</param>
/// <param name="TopK">Keep only the k most likely tokens; 0 turns it off.</param>
/// <param name="TopP">Keep the smallest set of most likely tokens whose probability reaches p; 1 turns it off.</param>
/// <param name="DoSample">False: greedy decoding whatever the other settings.</param>
/// <param name="StopTokenIds">A row stops after sampling one of these (the token is kept in the output).</param>
/// <param name="StopStrings">A row stops once its decoded text contains one of these; needs a tokenizer.</param>
/// <param name="Seed">Seeds the sampling generator: the same seed, prompts and model give the same output. Null: a random seed.</param>
/// <param name="StopAtEos">Also stop at the tokenizer's EOS id, when a tokenizer is given (DESIGN.md pitfall 5).</param>
/// <param name="UseKvCache">
/// False re-runs the whole sequence every step: slower, for tests and benchmarks; the output is the same.
/// </param>
public sealed record GenerationOptions(
    int MaxNewTokens = 128,
    double Temperature = 1.0,
    int TopK = 0,
    double TopP = 1.0,
    bool DoSample = true,
    IReadOnlyList<int>? StopTokenIds = null,
    IReadOnlyList<string>? StopStrings = null,
    long? Seed = null,
    bool StopAtEos = true,
    bool UseKvCache = true)
{
    /// <summary>True when tokens are picked by argmax.</summary>
    public bool IsGreedy => !DoSample || Temperature == 0;

    internal void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be 0 or more");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be a finite number ≥ 0");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "must be 0 (off) or more");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "must be in (0, 1]");
        if (StopStrings is not null && StopStrings.Any(string.IsNullOrEmpty))
            throw new ArgumentException("stop strings must not be empty", nameof(StopStrings));
    }
}

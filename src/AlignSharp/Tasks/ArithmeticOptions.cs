namespace AlignSharp.Tasks;

/// <summary>
/// Difficulty of <see cref="ArithmeticTask"/>. The defaults (addition of 0–9) suit a tiny byte-level model
/// trained for a few hundred steps; widen the operand range or add operations for harder variants.
/// </summary>
public sealed record ArithmeticOptions
{
    /// <summary>Smallest operand (≥ 0).</summary>
    public int MinOperand { get; init; }

    /// <summary>Largest operand (≤ 1,000,000, so products stay exact).</summary>
    public int MaxOperand { get; init; } = 9;

    /// <summary>Operations to draw from, uniformly; distinct and non-empty.</summary>
    public IReadOnlyList<ArithmeticOperation> Operations { get; init; } = [ArithmeticOperation.Add];

    /// <summary>A low-quality answer is off by 1 to this many (≥ 1), never negative.</summary>
    public int MaxWrongAnswerOffset { get; init; } = 2;

    /// <summary>Share of all possible prompts reserved for evaluation (strictly between 0 and 1).</summary>
    public double HeldOutShare { get; init; } = 0.2;

    internal const int LargestOperand = 1_000_000;

    internal void Validate()
    {
        if (MinOperand < 0) throw new ArgumentOutOfRangeException(nameof(MinOperand), MinOperand, "operands must be ≥ 0");
        if (MaxOperand < MinOperand) throw new ArgumentOutOfRangeException(nameof(MaxOperand), MaxOperand, $"must be ≥ MinOperand ({MinOperand})");
        if (MaxOperand > LargestOperand) throw new ArgumentOutOfRangeException(nameof(MaxOperand), MaxOperand, $"must be ≤ {LargestOperand}");
        if (Operations is null || Operations.Count == 0) throw new ArgumentException("at least one operation is needed", nameof(Operations));
        foreach (ArithmeticOperation operation in Operations)
            if (!Enum.IsDefined(operation)) throw new ArgumentOutOfRangeException(nameof(Operations), operation, "unknown operation");
        if (Operations.Distinct().Count() != Operations.Count)
            throw new ArgumentException($"operations must be distinct (got {string.Join(", ", Operations)})", nameof(Operations));
        if (MaxWrongAnswerOffset < 1) throw new ArgumentOutOfRangeException(nameof(MaxWrongAnswerOffset), MaxWrongAnswerOffset, "must be ≥ 1");
        PromptSplit.ValidateShare(HeldOutShare);
    }
}

namespace AlignSharp.Runtime;

/// <summary>The config and command-line spelling of <see cref="Precision"/>: <c>fp32</c> and <c>bf16</c>.</summary>
public static class PrecisionNames
{
    public const string Float32 = "fp32";
    public const string BFloat16 = "bf16";

    public static Precision Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        Float32 or "float32" => Precision.Float32,
        BFloat16 or "bfloat16" => Precision.BFloat16,
        _ => throw new ArgumentException($"unknown precision \"{name}\"; expected {Float32} or {BFloat16}", nameof(name)),
    };

    public static string Name(this Precision precision) => precision switch
    {
        Precision.Float32 => Float32,
        Precision.BFloat16 => BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };
}

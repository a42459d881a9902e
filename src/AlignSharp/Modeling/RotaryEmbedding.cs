using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Rotary position embedding in Hugging Face's rotate_half convention: the rotated part of a head
/// is split into two halves (x1, x2) and rotated as (x1·cos − x2·sin, x2·cos + x1·sin).
/// Only the first <see cref="RotaryDim"/> dimensions rotate (GPT-NeoX rotates a fraction).
/// </summary>
public sealed class RotaryEmbedding
{
    readonly float[] _inverseFrequencies;

    public RotaryEmbedding(int headDim, double fraction, double theta, RopeScaling? scaling)
    {
        RotaryDim = (int)(headDim * fraction);
        if (RotaryDim % 2 != 0) throw new ArgumentException($"rotary dimension {RotaryDim} must be even");
        HeadDim = headDim;
        _inverseFrequencies = InverseFrequencies(RotaryDim, theta, scaling);
    }

    public int RotaryDim { get; }
    public int HeadDim { get; }

    static float[] InverseFrequencies(int dim, double theta, RopeScaling? scaling)
    {
        // Same float32 arithmetic as transformers: 1 / theta^(2i/dim).
        var inverse = new float[dim / 2];
        for (int i = 0; i < inverse.Length; i++)
            inverse[i] = 1f / MathF.Pow((float)theta, (float)(2 * i) / dim);
        if (scaling is null) return inverse;
        return scaling.Type switch
        {
            "linear" => inverse.Select(f => (float)(f / scaling.Factor)).ToArray(),
            "llama3" => inverse.Select(f => Llama3Scaled(f, scaling)).ToArray(),
            _ => throw new NotSupportedException($"rope scaling \"{scaling.Type}\""),
        };
    }

    /// <summary>Llama 3.1's frequency-dependent scaling: long wavelengths slow down, short ones stay, a smooth ramp between.</summary>
    static float Llama3Scaled(float frequency, RopeScaling s)
    {
        double lowFreqWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highFreqWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        double wavelength = 2 * Math.PI / frequency;
        if (wavelength < highFreqWavelength) return frequency;
        if (wavelength > lowFreqWavelength) return (float)(frequency / s.Factor);
        double smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (float)((1 - smooth) * frequency / s.Factor + smooth * frequency);
    }

    /// <summary>cos and sin [batch, 1, time, rotary_dim] for positions [batch, time], computed in float32, returned in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inverse = tensor(_inverseFrequencies, device: positionIds.device);
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inverse; // [b, t, dim/2]
        var both = cat([angles, angles], -1).unsqueeze(1);                        // [b, 1, t, dim]
        var cos = both.cos().to(dtype);
        var sin = both.sin().to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x [batch, heads, time, head_dim] by the given angles.</summary>
    public Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        Tensor rotated, passThrough;
        if (RotaryDim == HeadDim) (rotated, passThrough) = (x, null!);
        else
        {
            rotated = x.narrow(-1, 0, RotaryDim);
            passThrough = x.narrow(-1, RotaryDim, HeadDim - RotaryDim);
        }
        var result = rotated * cos + RotateHalf(rotated) * sin;
        if (passThrough is not null) result = cat([result, passThrough], -1);
        return result.MoveToOuterDisposeScope();
    }

    static Tensor RotateHalf(Tensor x)
    {
        long half = x.shape[^1] / 2;
        using var first = x.narrow(-1, 0, half);
        using var second = x.narrow(-1, half, half);
        using var negated = second.neg();
        return cat([negated, first], -1);
    }
}

using TorchScalarType = TorchSharp.torch.ScalarType;

namespace AlignSharp.Checkpoints;

/// <summary>
/// A dtype of the safetensors format: its header name, bytes per element, and the TorchSharp type
/// it maps to (null for dtypes the format defines but TorchSharp cannot hold, e.g. U16 or F8_E4M3:
/// such tensors can be listed but not read).
/// </summary>
internal sealed record SafetensorsDType(string Name, int ItemSize, TorchScalarType? ScalarType)
{
    /// <summary>
    /// In the reference implementation's order of increasing alignment. Writers lay tensors out in
    /// decreasing order, so each tensor starts at a multiple of its element size (PyTorch's
    /// zero-copy loaders need that to reinterpret the mapped bytes as the element type).
    /// </summary>
    static readonly SafetensorsDType[] InAlignmentOrder =
    [
        new("BOOL", 1, TorchScalarType.Bool),
        new("U8", 1, TorchScalarType.Byte),
        new("I8", 1, TorchScalarType.Int8),
        new("F8_E5M2", 1, null),
        new("F8_E4M3", 1, null),
        new("F8_E8M0", 1, null),
        new("I16", 2, TorchScalarType.Int16),
        new("U16", 2, null),
        new("F16", 2, TorchScalarType.Float16),
        new("BF16", 2, TorchScalarType.BFloat16),
        new("I32", 4, TorchScalarType.Int32),
        new("U32", 4, null),
        new("F32", 4, TorchScalarType.Float32),
        new("C64", 8, TorchScalarType.ComplexFloat32),
        new("F64", 8, TorchScalarType.Float64),
        new("I64", 8, TorchScalarType.Int64),
        new("U64", 8, null),
    ];

    static readonly IReadOnlyDictionary<string, SafetensorsDType> ByName =
        InAlignmentOrder.ToDictionary(d => d.Name, StringComparer.Ordinal).AsReadOnly();

    /// <summary>Position in the reference implementation's alignment order (higher is laid out first).</summary>
    public int AlignmentRank => Array.IndexOf(InAlignmentOrder, this);

    public static bool TryParse(string name, out SafetensorsDType dtype) =>
        ByName.TryGetValue(name, out dtype!);

    /// <summary>The dtype a TorchSharp tensor is stored as, or null when the format has none for it.</summary>
    public static SafetensorsDType? ForScalarType(TorchScalarType type) =>
        InAlignmentOrder.FirstOrDefault(d => d.ScalarType == type);

    /// <summary>Known to the format but stored in fractions of a byte; AlignSharp rejects them.</summary>
    public static bool IsSubByte(string name) => name is "F4" or "F6_E2M3" or "F6_E3M2";
}

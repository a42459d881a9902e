using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Checkpoints;

/// <summary>
/// Reads tensors from one safetensors file. The header is validated when the file is opened; tensor
/// bytes are copied from a read-only memory map straight into each new tensor's storage, so a file
/// larger than memory loads one tensor at a time. Reads may run concurrently from several threads.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    readonly SafetensorsHeader _header;
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;
    bool _disposed;

    SafetensorsReader(string path, SafetensorsHeader header, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        Path = path;
        _header = header;
        _map = map;
        _view = view;
    }

    /// <summary>Opens and validates <paramref name="path"/>; throws <see cref="SafetensorsFormatException"/> if it is malformed.</summary>
    public static SafetensorsReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
        MemoryMappedFile? map = null;
        try
        {
            SafetensorsHeader header = SafetensorsHeader.Read(path, file);
            map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: false);
            MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafetensorsReader(path, header, map, view);
        }
        catch
        {
            if (map is null) file.Dispose(); else map.Dispose();
            throw;
        }
    }

    /// <summary>The file this reader was opened on.</summary>
    public string Path { get; }

    /// <summary>Every tensor in the file, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => _header.Tensors;

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <summary>
    /// A new CPU tensor holding <paramref name="name"/>, converted to <paramref name="convertTo"/> if
    /// given. The caller owns (and disposes) it; it does not depend on this reader staying open.
    /// </summary>
    public Tensor Read(string name, ScalarType? convertTo = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_header.Tensors.TryGetValue(name, out SafetensorsTensorInfo? info))
            throw new KeyNotFoundException($"'{Path}' has no tensor named '{name}'");
        if (!SafetensorsDType.TryParse(info.DType, out SafetensorsDType dtype) || dtype.ScalarType is not { } storedType)
            throw new NotSupportedException($"'{Path}': tensor '{name}' has dtype {info.DType}, which TorchSharp cannot hold");

        Tensor tensor = CreateTensor(name, info.Shape, storedType);
        try
        {
            // The header was validated, but Shape is an array the caller could have changed since.
            if (tensor.NumberOfElements * dtype.ItemSize != info.ByteLength)
                throw new InvalidOperationException($"'{Path}': the shape of tensor '{name}' was modified after the header was read");
            long fileOffset = _view.PointerOffset + _header.DataStart + info.Begin;
            TensorBytes.ForEachChunk(tensor, (chunk, byteOffset) =>
            {
                _view.SafeMemoryMappedViewHandle.ReadSpan((ulong)(fileOffset + byteOffset), chunk);
                // A bool byte other than 0 or 1 is undefined behaviour in libtorch.
                if (storedType == ScalarType.Bool && chunk.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
                    throw new SafetensorsFormatException(Path, $"tensor '{name}': BOOL element {(byteOffset + bad)} has byte value {chunk[bad]}, expected 0 or 1");
            });
        }
        catch
        {
            tensor.Dispose();
            throw;
        }

        if (convertTo is not { } target || target == storedType)
            return tensor;
        using (tensor)
            return tensor.to_type(target);
    }

    Tensor CreateTensor(string name, long[] shape, ScalarType type)
    {
        try
        {
            return torch.empty(shape, type);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // e.g. a shape whose strides overflow although it has no elements (such as [0, 2^40, 2^40]).
            throw new SafetensorsFormatException(Path, $"tensor '{name}': libtorch cannot create shape [{string.Join(", ", shape)}]: {e.Message.Split('\n')[0]}", e);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.Dispose();
        _map.Dispose();
    }
}

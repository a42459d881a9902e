using static TorchSharp.torch;

namespace AlignSharp.Checkpoints;

/// <summary>
/// The tensors of a Hugging Face checkpoint folder: <c>model.safetensors</c>, or when that is absent
/// the shards listed by <c>model.safetensors.index.json</c>. Every file is opened and the index is
/// checked against the shards' headers up front, so a broken checkpoint fails before loading starts.
/// </summary>
public sealed class CheckpointTensors : IDisposable
{
    readonly IReadOnlyList<SafetensorsReader> _readers;
    readonly IReadOnlyDictionary<string, SafetensorsReader> _readerByTensor;
    readonly IReadOnlyList<string> _names;

    CheckpointTensors(string folder, IReadOnlyList<SafetensorsReader> readers, IReadOnlyDictionary<string, SafetensorsReader> readerByTensor)
    {
        Folder = folder;
        _readers = readers;
        _readerByTensor = readerByTensor;
        _names = readerByTensor.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Opens the weights in <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds neither weights file.</exception>
    /// <exception cref="SafetensorsFormatException">A file is malformed or the index disagrees with the shards.</exception>
    public static CheckpointTensors Open(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Checkpoint folder '{folder}' does not exist");

        string single = Path.Combine(folder, CheckpointFileNames.SingleFile);
        if (File.Exists(single))
        {
            SafetensorsReader reader = SafetensorsReader.Open(single);
            return new CheckpointTensors(folder, [reader], reader.Tensors.Keys.ToDictionary(name => name, _ => reader, StringComparer.Ordinal));
        }

        string indexPath = Path.Combine(folder, CheckpointFileNames.Index);
        if (!File.Exists(indexPath))
            throw new FileNotFoundException(
                $"Checkpoint folder '{folder}' holds neither {CheckpointFileNames.SingleFile} nor {CheckpointFileNames.Index}", single);
        return OpenSharded(folder, indexPath);
    }

    static CheckpointTensors OpenSharded(string folder, string indexPath)
    {
        CheckpointIndex index = CheckpointIndex.Read(indexPath);
        var readerByShard = new SortedDictionary<string, SafetensorsReader>(StringComparer.Ordinal);
        try
        {
            foreach ((string tensor, string shard) in index.WeightMap.OrderBy(pair => pair.Value, StringComparer.Ordinal))
            {
                if (readerByShard.ContainsKey(shard)) continue;
                string shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                    throw new SafetensorsFormatException(indexPath, $"tensor '{tensor}' is mapped to shard '{shard}', which does not exist in '{folder}'");
                readerByShard.Add(shard, SafetensorsReader.Open(shardPath));
            }
            var readerByTensor = MatchIndexToShards(indexPath, index, readerByShard);
            return new CheckpointTensors(folder, readerByShard.Values.ToArray(), readerByTensor);
        }
        catch
        {
            foreach (SafetensorsReader reader in readerByShard.Values) reader.Dispose();
            throw;
        }
    }

    /// <summary>Every tensor is in exactly one shard, and that is the shard the index names.</summary>
    static Dictionary<string, SafetensorsReader> MatchIndexToShards(
        string indexPath, CheckpointIndex index, SortedDictionary<string, SafetensorsReader> readerByShard)
    {
        var shardByTensor = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string shard, SafetensorsReader reader) in readerByShard)
        foreach (string tensor in reader.Tensors.Keys)
        {
            if (shardByTensor.TryGetValue(tensor, out string? other))
                throw new SafetensorsFormatException(indexPath, $"tensor '{tensor}' is in two shards: '{other}' and '{shard}'");
            shardByTensor.Add(tensor, shard);
        }

        foreach ((string tensor, string mapped) in index.WeightMap)
        {
            if (!shardByTensor.TryGetValue(tensor, out string? actual))
                throw new SafetensorsFormatException(indexPath, $"tensor '{tensor}' is mapped to shard '{mapped}', which does not contain it");
            if (actual != mapped)
                throw new SafetensorsFormatException(indexPath, $"tensor '{tensor}' is mapped to shard '{mapped}' but is in shard '{actual}'");
        }
        foreach ((string tensor, string shard) in shardByTensor)
            if (!index.WeightMap.ContainsKey(tensor))
                throw new SafetensorsFormatException(indexPath, $"shard '{shard}' holds tensor '{tensor}', which the weight_map does not list");

        return shardByTensor.ToDictionary(pair => pair.Key, pair => readerByShard[pair.Value], StringComparer.Ordinal);
    }

    /// <summary>The folder the checkpoint was opened from.</summary>
    public string Folder { get; }

    /// <summary>All tensor names, in ordinal order.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The safetensors files opened (one, or every shard).</summary>
    public IReadOnlyList<string> Files => _readers.Select(reader => reader.Path).ToArray();

    public bool Contains(string name) => _readerByTensor.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/> (offsets are within its own file).</summary>
    public SafetensorsTensorInfo Info(string name) => ReaderOf(name).Tensors[name];

    /// <summary>A new CPU tensor the caller owns; see <see cref="SafetensorsReader.Read"/>.</summary>
    public Tensor Read(string name, ScalarType? convertTo = null) => ReaderOf(name).Read(name, convertTo);

    SafetensorsReader ReaderOf(string name) =>
        _readerByTensor.TryGetValue(name, out SafetensorsReader? reader)
            ? reader
            : throw new KeyNotFoundException($"Checkpoint '{Folder}' has no tensor named '{name}'");

    public void Dispose()
    {
        foreach (SafetensorsReader reader in _readers) reader.Dispose();
    }
}

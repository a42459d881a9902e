using static TorchSharp.torch;

namespace AlignSharp.Checkpoints;

/// <summary>
/// Saves tensors as the weights of a Hugging Face checkpoint folder: one <c>model.safetensors</c>
/// when they fit in one shard, else <c>model-0000i-of-0000N.safetensors</c> files and
/// <c>model.safetensors.index.json</c>, split exactly as Hugging Face splits them.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>Hugging Face's default max_shard_size, "5GB" (decimal gigabytes).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the order given, which decides the shards) into
    /// <paramref name="folder"/>, creating it if needed, and removes weight files of the other layout
    /// or of an earlier save with more shards. Other files in the folder are left alone. Each file is
    /// written atomically; the folder as a whole is not, so write a run's checkpoint to a new folder
    /// when a crash must never leave a mix of old and new shards.
    /// </summary>
    public static void Save(string folder, IEnumerable<KeyValuePair<string, Tensor>> tensors, long maxShardBytes = DefaultMaxShardBytes)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        List<KeyValuePair<string, Tensor>> all = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, _) in all)
            if (!seen.Add(name))
                throw new ArgumentException($"tensor name '{name}' is given twice", nameof(tensors));

        Directory.CreateDirectory(folder);
        List<List<KeyValuePair<string, Tensor>>> shards = Split(all, maxShardBytes, out long totalBytes);

        if (shards.Count <= 1)
        {
            SafetensorsWriter.Write(Path.Combine(folder, CheckpointFileNames.SingleFile), shards.FirstOrDefault() ?? []);
            // The single file wins over an index when both exist, so a crash before here keeps the old state.
            DeleteIfExists(Path.Combine(folder, CheckpointFileNames.Index));
            DeleteShardsExcept(folder, new HashSet<string>());
            return;
        }

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        var shardFiles = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string shardFile = CheckpointFileNames.Shard(i + 1, shards.Count);
            SafetensorsWriter.Write(Path.Combine(folder, shardFile), shards[i]);
            shardFiles.Add(shardFile);
            foreach ((string name, _) in shards[i]) weightMap.Add(name, shardFile);
        }
        // A leftover single file would hide the new index from readers.
        DeleteIfExists(Path.Combine(folder, CheckpointFileNames.SingleFile));
        AtomicFile.WriteAllBytes(Path.Combine(folder, CheckpointFileNames.Index),
            new CheckpointIndex(totalBytes, weightMap.AsReadOnly()).ToJsonBytes());
        DeleteShardsExcept(folder, shardFiles);
    }

    /// <summary>
    /// Hugging Face's split (huggingface_hub split_torch_state_dict_into_shards): in order, a tensor
    /// that would push the current shard over the limit starts a new one; a tensor bigger than the
    /// limit gets a shard of its own, placed when it is met.
    /// </summary>
    static List<List<KeyValuePair<string, Tensor>>> Split(List<KeyValuePair<string, Tensor>> tensors, long maxShardBytes, out long totalBytes)
    {
        var shards = new List<List<KeyValuePair<string, Tensor>>>();
        var current = new List<KeyValuePair<string, Tensor>>();
        long currentBytes = 0;
        totalBytes = 0;
        foreach (KeyValuePair<string, Tensor> pair in tensors)
        {
            long bytes = SafetensorsWriter.ByteLength(pair.Key, pair.Value);
            totalBytes += bytes;
            if (bytes > maxShardBytes)
            {
                shards.Add([pair]);
                continue;
            }
            if (currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(pair);
            currentBytes += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }

    static void DeleteShardsExcept(string folder, IReadOnlySet<string> keep)
    {
        foreach (string path in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(path);
            if (CheckpointFileNames.IsShard(name) && !keep.Contains(name))
                File.Delete(path);
        }
    }

    static void DeleteIfExists(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}

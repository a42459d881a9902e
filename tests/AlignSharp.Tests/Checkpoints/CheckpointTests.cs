using System.Text.Json;
using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

public class CheckpointTests
{
    /// <summary>make_fixtures.py's sharded_tensors(), in the same order (the order decides the shards).</summary>
    static List<KeyValuePair<string, Tensor>> ShardedTensors() =>
    [
        new("model.embed.weight", torch.arange(8, dtype: ScalarType.Float32).mul(0.25).reshape(4, 2)),
        new("model.layers.0.w", torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2)),
        new("model.layers.1.w", torch.tensor(new float[] { -1, -2, -3, -4 }).reshape(2, 2)),
        new("lm_head.weight", torch.arange(8, dtype: ScalarType.Float32).mul(-0.5).reshape(4, 2)),
    ];

    static void DisposeAll(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        foreach (var pair in tensors) pair.Value.Dispose();
    }

    static void AssertSameTensors(IEnumerable<KeyValuePair<string, Tensor>> expected, CheckpointTensors checkpoint)
    {
        Assert.Equal(expected.Select(p => p.Key).Order(StringComparer.Ordinal), checkpoint.Names);
        foreach ((string name, Tensor tensor) in expected)
        {
            using Tensor read = checkpoint.Read(name);
            Assert.Equal(tensor.dtype, read.dtype);
            Assert.Equal(tensor.shape, read.shape);
            Assert.Equal(tensor.bytes.ToArray(), read.bytes.ToArray());
        }
    }

    [Fact]
    public void SmallCheckpointIsOneModelSafetensors()
    {
        using var folder = new TemporaryFolder();
        var tensors = ShardedTensors();
        try
        {
            CheckpointWriter.Save(folder.Path, tensors);
            Assert.Equal(["model.safetensors"], folder.FileNames());
            using var checkpoint = CheckpointTensors.Open(folder.Path);
            AssertSameTensors(tensors, checkpoint);
            Assert.Equal([folder.File("model.safetensors")], checkpoint.Files);
            Assert.Equal("F32", checkpoint.Info("lm_head.weight").DType);
        }
        finally { DisposeAll(tensors); }
    }

    [Fact]
    public void ShardedSaveMatchesTheReferenceFolderByteForByte()
    {
        using var folder = new TemporaryFolder();
        var tensors = ShardedTensors();
        try { CheckpointWriter.Save(folder.Path, tensors, maxShardBytes: 48); }
        finally { DisposeAll(tensors); }

        string[] expectedFiles = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"];
        Assert.Equal(expectedFiles, folder.FileNames());
        foreach (string file in expectedFiles)
            Assert.Equal(File.ReadAllBytes(Fixtures.Path("sharded", file)), File.ReadAllBytes(folder.File(file)));
    }

    [Fact]
    public void ReadsTheReferenceShardedFolder()
    {
        using var checkpoint = CheckpointTensors.Open(Fixtures.Path("sharded"));
        Assert.Equal(["lm_head.weight", "model.embed.weight", "model.layers.0.w", "model.layers.1.w"], checkpoint.Names);
        Assert.Equal(2, checkpoint.Files.Count);
        using Tensor layer1 = checkpoint.Read("model.layers.1.w");
        Assert.Equal([-1f, -2f, -3f, -4f], layer1.data<float>().ToArray());
        using Tensor head = checkpoint.Read("lm_head.weight", ScalarType.Float64);
        Assert.Equal([0, -0.5, -1, -1.5, -2, -2.5, -3, -3.5], head.data<double>().ToArray());
        Assert.False(checkpoint.Contains("model.missing"));
        Assert.Contains("model.missing", Assert.Throws<KeyNotFoundException>(() => checkpoint.Read("model.missing")).Message);
    }

    [Fact]
    public void ShardedRoundTripWithOversizedTensorInItsOwnShard()
    {
        using var folder = new TemporaryFolder();
        List<KeyValuePair<string, Tensor>> tensors =
        [
            new("a", torch.tensor(new long[] { 1 })),                                    // 8 bytes
            new("big", torch.arange(25, dtype: ScalarType.Float32)),                     // 100 bytes > limit
            new("c", torch.tensor(new double[] { 2.5 })),                                // 8 bytes
            new("d", torch.tensor(new[] { true, false }, dtype: ScalarType.Bool)),       // 2 bytes: starts shard 3
            new("e", torch.tensor(new short[] { 5, 6, 7 })),                             // 6 bytes
        ];
        try
        {
            CheckpointWriter.Save(folder.Path, tensors, maxShardBytes: 16);
            using var checkpoint = CheckpointTensors.Open(folder.Path);
            AssertSameTensors(tensors, checkpoint);

            using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(folder.File("model.safetensors.index.json")));
            Assert.Equal(124, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
            var weightMap = index.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            // Hugging Face places an oversized tensor's shard when it meets it, before the open shard.
            Assert.Equal("model-00001-of-00003.safetensors", weightMap["big"]);
            Assert.Equal("model-00002-of-00003.safetensors", weightMap["a"]);
            Assert.Equal("model-00002-of-00003.safetensors", weightMap["c"]);
            Assert.Equal("model-00003-of-00003.safetensors", weightMap["d"]);
            Assert.Equal("model-00003-of-00003.safetensors", weightMap["e"]);
            Assert.Equal(["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json"],
                folder.FileNames());
        }
        finally { DisposeAll(tensors); }
    }

    [Fact]
    public void SavingRemovesStaleFilesOfTheOtherLayoutOnly()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("config.json"), "{}");
        File.WriteAllText(folder.File("model-notes.safetensors.txt"), "not a shard");
        var tensors = ShardedTensors();
        try
        {
            CheckpointWriter.Save(folder.Path, tensors, maxShardBytes: 16); // 4 shards of one tensor each
            Assert.Equal(4, folder.FileNames().Count(name => name.EndsWith("-of-00004.safetensors")));

            CheckpointWriter.Save(folder.Path, tensors, maxShardBytes: 48); // 2 shards: the -of-00004 files go
            Assert.Equal(["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model-notes.safetensors.txt", "model.safetensors.index.json"], folder.FileNames());

            CheckpointWriter.Save(folder.Path, tensors); // fits in one file: shards and index go
            Assert.Equal(["config.json", "model-notes.safetensors.txt", "model.safetensors"], folder.FileNames());

            CheckpointWriter.Save(folder.Path, tensors, maxShardBytes: 48); // and back: the single file goes
            Assert.Equal(["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model-notes.safetensors.txt", "model.safetensors.index.json"], folder.FileNames());
            using var checkpoint = CheckpointTensors.Open(folder.Path);
            AssertSameTensors(tensors, checkpoint);
        }
        finally { DisposeAll(tensors); }
    }

    [Fact]
    public void SaveCreatesTheFolderAndRejectsDuplicateNamesAcrossShards()
    {
        using var folder = new TemporaryFolder();
        using Tensor x = torch.ones(4);
        string nested = Path.Combine(folder.Path, "run", "step-10");
        CheckpointWriter.Save(nested, [new("x", x)]);
        Assert.True(File.Exists(Path.Combine(nested, "model.safetensors")));

        var error = Assert.Throws<ArgumentException>(() => CheckpointWriter.Save(nested, [new("x", x), new("y", x), new("x", x)], maxShardBytes: 16));
        Assert.Contains("'x' is given twice", error.Message);
    }

    [Fact]
    public void SingleFileWinsOverAnIndex()
    {
        using var folder = new TemporaryFolder();
        foreach (string file in Directory.GetFiles(Fixtures.Path("sharded")))
            File.Copy(file, folder.File(Path.GetFileName(file)));
        using Tensor only = torch.ones(1);
        SafetensorsWriter.Write(folder.File("model.safetensors"), [new("only", only)]);
        using var checkpoint = CheckpointTensors.Open(folder.Path);
        Assert.Equal(["only"], checkpoint.Names);
    }

    [Fact]
    public void MissingFolderOrWeights()
    {
        using var folder = new TemporaryFolder();
        string missing = Path.Combine(folder.Path, "nope");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => CheckpointTensors.Open(missing)).Message);
        var error = Assert.Throws<FileNotFoundException>(() => CheckpointTensors.Open(folder.Path));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", error.Message);
        Assert.Contains(folder.Path, error.Message);
    }

    /// <summary>A copy of the reference sharded folder with its index replaced.</summary>
    static TemporaryFolder ShardedWithIndex(string indexJson)
    {
        var folder = new TemporaryFolder();
        foreach (string file in Directory.GetFiles(Fixtures.Path("sharded")))
            File.Copy(file, folder.File(Path.GetFileName(file)));
        File.WriteAllText(folder.File("model.safetensors.index.json"), indexJson);
        return folder;
    }

    const string Shard1 = "model-00001-of-00002.safetensors";
    const string Shard2 = "model-00002-of-00002.safetensors";

    static string Index(params (string Tensor, string Shard)[] map) =>
        JsonSerializer.Serialize(new { metadata = new { total_size = 96 }, weight_map = map.ToDictionary(e => e.Tensor, e => e.Shard) });

    static readonly (string, string)[] CorrectMap =
        [("model.embed.weight", Shard1), ("model.layers.0.w", Shard1), ("model.layers.1.w", Shard2), ("lm_head.weight", Shard2)];

    public static TheoryData<string, string> BrokenIndexes() => new()
    {
        { Index([.. CorrectMap, ("extra.weight", "model-00003-of-00003.safetensors")]),
            "tensor 'extra.weight' is mapped to shard 'model-00003-of-00003.safetensors', which does not exist" },
        { Index([.. CorrectMap, ("extra.weight", Shard1)]),
            $"tensor 'extra.weight' is mapped to shard '{Shard1}', which does not contain it" },
        { Index([.. CorrectMap[..3], ("lm_head.weight", Shard1)]),
            $"tensor 'lm_head.weight' is mapped to shard '{Shard1}' but is in shard '{Shard2}'" },
        { Index(CorrectMap[..3]),
            $"shard '{Shard2}' holds tensor 'lm_head.weight', which the weight_map does not list" },
        { Index([.. CorrectMap[..3], ("lm_head.weight", "../sharded/" + Shard2)]),
            "names '../sharded/model-00002-of-00002.safetensors', which is not a file name in the checkpoint folder" },
        { "{\"metadata\":{}}", "index has no 'weight_map'" },
        { "{\"weight_map\":[]}", "'weight_map' is a JSON Array" },
        { "{\"weight_map\":{\"a\":3}}", "'weight_map' entry for tensor 'a' is a JSON Number" },
        { "{\"weight_map\":", "index is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BrokenIndexes))]
    public void BrokenIndexIsReportedWithTheIndexFile(string indexJson, string expected)
    {
        using var folder = ShardedWithIndex(indexJson);
        var error = Assert.Throws<SafetensorsFormatException>(() => CheckpointTensors.Open(folder.Path).Dispose());
        Assert.Contains("model.safetensors.index.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TheCorrectIndexOpens()
    {
        // Guards BrokenIndexes: its indexes fail for the stated reason, not for something they share.
        using var folder = ShardedWithIndex(Index(CorrectMap));
        using var checkpoint = CheckpointTensors.Open(folder.Path);
        Assert.Equal(4, checkpoint.Names.Count);
    }

    [Fact]
    public void TensorInTwoShards()
    {
        using var folder = ShardedWithIndex(Index(CorrectMap));
        // Rewrite shard 2 so it also holds a tensor shard 1 has.
        using Tensor duplicate = torch.zeros(2, 2);
        using Tensor head = torch.zeros(4, 2);
        SafetensorsWriter.Write(folder.File(Shard2), [new("model.layers.0.w", duplicate), new("lm_head.weight", head), new("model.layers.1.w", duplicate)]);
        var error = Assert.Throws<SafetensorsFormatException>(() => CheckpointTensors.Open(folder.Path).Dispose());
        Assert.Contains($"tensor 'model.layers.0.w' is in two shards: '{Shard1}' and '{Shard2}'", error.Message);
    }

    [Fact]
    public void CorruptShardIsReportedWithTheShardFile()
    {
        using var folder = ShardedWithIndex(Index(CorrectMap));
        File.WriteAllBytes(folder.File(Shard2), [1, 2, 3]);
        var error = Assert.Throws<SafetensorsFormatException>(() => CheckpointTensors.Open(folder.Path).Dispose());
        Assert.Contains(Shard2, error.Message);
        Assert.Contains("shorter than the 8-byte", error.Message);
    }
}

using System.Text.RegularExpressions;

namespace AlignSharp.Checkpoints;

/// <summary>File names of a Hugging Face checkpoint folder's weights.</summary>
public static partial class CheckpointFileNames
{
    public const string SingleFile = "model.safetensors";
    public const string Index = "model.safetensors.index.json";

    /// <summary>The name of shard <paramref name="number"/> (1-based) of <paramref name="count"/>, e.g. model-00001-of-00003.safetensors.</summary>
    public static string Shard(int number, int count) => $"model-{number:D5}-of-{count:D5}.safetensors";

    /// <summary>Whether <paramref name="fileName"/> is named like a shard that <see cref="Shard"/> makes.</summary>
    public static bool IsShard(string fileName) => ShardPattern().IsMatch(fileName);

    [GeneratedRegex(@"^model-\d{5,}-of-\d{5,}\.safetensors$")]
    private static partial Regex ShardPattern();
}

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AlignSharp.Cli.Recipes;

/// <summary>
/// Reads a YAML recipe: a flat mapping of TRL/transformers key names to scalar values (or lists of them, read as comma-separated text). A key the method does not
/// know is an error naming the key and the file (a typo must not silently fall back to a default).
/// </summary>
public static class RecipeConfigFile
{
    public static Dictionary<string, ConfigValue> Read(string path, IReadOnlyCollection<string> knownKeys, string method)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such recipe file", path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return values;
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new InvalidDataException($"{path}: a recipe is a mapping of keys to values (key: value per line)");
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            string where = $"{path}:{keyNode.Start.Line}";
            if (!knownKeys.Contains(key))
                throw new InvalidDataException(
                    $"{where}: unknown key '{key}' for {method}; known keys: {string.Join(", ", knownKeys.Order(StringComparer.Ordinal))}");
            // A list of scalars (TRL's reward_weights: [1.0, 0.5]) reads as its comma-separated items.
            string text = valueNode switch
            {
                YamlScalarNode scalar => scalar.Value ?? "",
                YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) =>
                    string.Join(",", list.Children.Select(c => ((YamlScalarNode)c).Value ?? "")),
                _ => throw new InvalidDataException($"{where}: '{key}' must be a single value or a list of values, not a mapping"),
            };
            values[key] = new ConfigValue(text, $"'{key}' in {where}");
        }
        return values;
    }
}

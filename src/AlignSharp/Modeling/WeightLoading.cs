using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Strict copy of checkpoint tensors into a model's parameters: every parameter must be present
/// with its exact shape, and every checkpoint tensor must be a parameter (or a known ignorable one).
/// Independent of the file format: the caller supplies the names and a reader.
/// </summary>
public static class WeightLoading
{
    /// <summary>
    /// <paramref name="read"/> reads one of <paramref name="checkpointNames"/> converted to the requested dtype
    /// (the returned tensor is disposed here); <paramref name="source"/> (folder or file) is named in errors.
    /// </summary>
    public static void Load(PretrainedModel model, IReadOnlyCollection<string> checkpointNames, Func<string, ScalarType, Tensor> read, string source)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // Old GPT-2 checkpoints (the "gpt2" on the Hub) store the body without its "transformer." prefix.
        string prefix = model.Names.Body + ".";
        var checkpointNameFor = new Dictionary<string, string>();
        foreach (string name in checkpointNames)
        {
            string modelName = !parameters.ContainsKey(name) && parameters.ContainsKey(prefix + name) ? prefix + name : name;
            if (!checkpointNameFor.TryAdd(modelName, name))
                throw new InvalidDataException($"{source}: tensor {modelName} is stored twice (as {checkpointNameFor[modelName]} and {name})");
        }

        var unexpected = checkpointNameFor.Keys.Where(n => !parameters.ContainsKey(n) && !model.IsIgnorableCheckpointTensor(n)).ToList();
        var missing = parameters.Keys.Where(n => !checkpointNameFor.ContainsKey(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException(
                $"{source} does not match {model.Config.Architecture}:"
                + (missing.Count > 0 ? $" missing tensors ({missing.Count}): {Listed(missing)}." : "")
                + (unexpected.Count > 0 ? $" unexpected tensors ({unexpected.Count}): {Listed(unexpected)}." : ""));

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            using var stored = read(checkpointNameFor[name], parameter.dtype);
            if (!stored.shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException(
                    $"{source}: tensor {checkpointNameFor[name]} has shape [{string.Join(", ", stored.shape)}], the model expects [{string.Join(", ", parameter.shape)}]");
            parameter.copy_(stored);
        }
    }

    static string Listed(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(12)) + (names.Count > 12 ? $", ... ({names.Count - 12} more)" : "");
}

using System.Globalization;
using AlignSharp.Checkpoints;
using AlignSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Training;

/// <summary>
/// <c>output_dir/checkpoint-&lt;step&gt;/</c>: the model (a Hugging Face folder for a <see cref="PretrainedModel"/>,
/// else <c>model.safetensors</c> of its parameters), <c>optimizer.bin</c> (TorchSharp's own optimizer
/// state format: per group its options, per parameter AdamW's step, exp_avg and exp_avg_sq),
/// <c>rng_state.safetensors</c> (libtorch's default generator) and <c>trainer_state.json</c>.
/// The folder is written under a temporary name and renamed, so a crash never leaves a half checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    public const string Prefix = "checkpoint-";
    public const string OptimizerFileName = "optimizer.bin";
    public const string RngStateFileName = "rng_state.safetensors";
    public const string ModelWeightsFileName = "model.safetensors";
    const string TorchGeneratorTensor = "torch_default_generator";
    const string TemporaryMarker = ".tmp-";

    /// <summary>
    /// Writes <c>checkpoint-&lt;state.GlobalStep&gt;</c> atomically, prunes to <paramref name="saveTotalLimit"/>, returns its path.
    /// <paramref name="writeExtra"/> adds files to the folder before it is renamed into place (a step source's state).
    /// </summary>
    public static string Save(string outputDir, nn.Module model, OptimizerHelper optimizer, TrainerState state, int? saveTotalLimit,
        Action<string>? writeExtra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        Directory.CreateDirectory(outputDir);
        string final = Path.Combine(outputDir, Prefix + state.GlobalStep.ToString(CultureInfo.InvariantCulture));
        string temporary = $"{final}{TemporaryMarker}{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temporary);
            SaveModel(model, temporary);
            AtomicFile.Write(Path.Combine(temporary, OptimizerFileName), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
                writer.Flush();
            });
            using (var generatorState = torch.random.get_rng_state())
                SafetensorsWriter.Write(Path.Combine(temporary, RngStateFileName), [new(TorchGeneratorTensor, generatorState)]);
            writeExtra?.Invoke(temporary);
            state.Save(temporary);
            Replace(final, temporary);
        }
        catch
        {
            TryDeleteFolder(temporary);
            throw;
        }
        if (saveTotalLimit is int limit) Prune(outputDir, limit, keep: final);
        return final;
    }

    /// <summary>
    /// Restores model weights, optimizer state and libtorch's generator from <paramref name="checkpointDir"/>
    /// into the given (freshly built) objects and returns the trainer state. The optimizer must have been
    /// built over the same parameters in the same groups (<paramref name="optimizerParameterNames"/>).
    /// </summary>
    public static TrainerState Load(string checkpointDir, nn.Module model, OptimizerHelper optimizer,
        IReadOnlyList<IReadOnlyList<string>> optimizerParameterNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!Directory.Exists(checkpointDir))
            throw new DirectoryNotFoundException($"checkpoint folder '{checkpointDir}' does not exist");
        var state = TrainerState.Load(checkpointDir);
        RequireSameGroups(checkpointDir, state.OptimizerParameterNames, optimizerParameterNames);

        LoadModel(model, checkpointDir);
        string optimizerPath = Path.Combine(checkpointDir, OptimizerFileName);
        if (!File.Exists(optimizerPath))
            throw new FileNotFoundException($"{optimizerPath} is missing: the checkpoint has no optimizer state to resume from", optimizerPath);
        using (var stream = File.OpenRead(optimizerPath))
        using (var reader = new BinaryReader(stream))
            optimizer.load_state_dict(reader);

        using (var rng = SafetensorsReader.Open(Path.Combine(checkpointDir, RngStateFileName)))
        using (var generatorState = rng.Read(TorchGeneratorTensor))
            torch.random.set_rng_state(generatorState);
        return state;
    }

    /// <summary>Checkpoint folders in <paramref name="outputDir"/>, oldest step first (temporary folders excluded).</summary>
    public static IReadOnlyList<(int Step, string Path)> List(string outputDir)
    {
        if (!Directory.Exists(outputDir)) return [];
        var found = new List<(int, string)>();
        foreach (string folder in Directory.GetDirectories(outputDir, Prefix + "*"))
        {
            string name = Path.GetFileName(folder);
            if (int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int step))
                found.Add((step, folder));
        }
        return found.OrderBy(c => c.Item1).ToArray();
    }

    /// <summary>The newest checkpoint in <paramref name="outputDir"/>, or null.</summary>
    public static string? Latest(string outputDir) => List(outputDir) is [.., var last] ? last.Path : null;

    /// <summary>Deletes what a crash left behind: <c>checkpoint-*.tmp-*</c> folders never renamed into place.</summary>
    public static void DeleteUnfinished(string outputDir)
    {
        if (!Directory.Exists(outputDir)) return;
        foreach (string folder in Directory.GetDirectories(outputDir, Prefix + "*" + TemporaryMarker + "*"))
            TryDeleteFolder(folder);
    }

    static void SaveModel(nn.Module model, string folder)
    {
        if (model is PretrainedModel pretrained)
        {
            pretrained.Save(folder);
            return;
        }
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter.detach())).ToList();
        try
        {
            SafetensorsWriter.Write(Path.Combine(folder, ModelWeightsFileName), tensors);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }

    static void LoadModel(nn.Module model, string folder)
    {
        using var tensors = CheckpointTensors.Open(folder);
        var parameters = model.named_parameters().ToList();
        var missing = parameters.Where(p => !tensors.Contains(p.name)).Select(p => p.name).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"checkpoint '{folder}' lacks {missing.Count} parameter(s) of the model, e.g. '{missing[0]}'");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            using var stored = tensors.Read(name, parameter.dtype);
            if (!stored.shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException(
                    $"checkpoint '{folder}': '{name}' has shape [{string.Join(", ", stored.shape)}], the model [{string.Join(", ", parameter.shape)}]");
            parameter.copy_(stored);
        }
    }

    static void RequireSameGroups(string folder, IReadOnlyList<IReadOnlyList<string>> saved, IReadOnlyList<IReadOnlyList<string>> current)
    {
        bool same = saved.Count == current.Count && saved.Zip(current).All(pair => pair.First.SequenceEqual(pair.Second, StringComparer.Ordinal));
        if (!same)
            throw new InvalidDataException(
                $"checkpoint '{folder}' holds optimizer state for {saved.Count} group(s) of [{string.Join("; ", saved.Select(g => g.Count))}] parameters, " +
                $"but this run optimizes {current.Count} group(s) of [{string.Join("; ", current.Select(g => g.Count))}]: resume needs the same model and trainable parameters");
    }

    static void Replace(string final, string temporary)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(temporary, final);
            return;
        }
        // Re-saving a step (a resumed run): move the old one aside first, so one complete copy always exists.
        string old = $"{final}{TemporaryMarker}old-{Guid.NewGuid():N}";
        Directory.Move(final, old);
        Directory.Move(temporary, final);
        TryDeleteFolder(old);
    }

    static void Prune(string outputDir, int limit, string keep)
    {
        var checkpoints = List(outputDir);
        int excess = checkpoints.Count - limit;
        foreach (var (_, path) in checkpoints)
        {
            if (excess <= 0) break;
            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(keep), StringComparison.Ordinal)) continue;
            Directory.Delete(path, recursive: true);
            excess--;
        }
    }

    static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { } // the original error matters more than a leftover folder
        catch (UnauthorizedAccessException) { }
    }
}

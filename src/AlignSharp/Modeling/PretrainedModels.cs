using System.Text.Json;
using System.Text.Json.Nodes;
using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>Loads and saves models as Hugging Face checkpoint folders.</summary>
public static class PretrainedModels
{
    public const string GenerationConfigFileName = "generation_config.json";
    public const long DefaultMaxShardBytes = CheckpointWriter.DefaultMaxShardBytes;

    /// <summary>
    /// The model described by <c>config.json</c> in <paramref name="folder"/> (a <see cref="CausalLM"/> or a
    /// <see cref="SequenceScoreModel"/>), with its weights loaded strictly: every parameter present with
    /// its exact shape, no unknown tensors. <paramref name="dtype"/> null means float32, as transformers
    /// loads by default whatever the stored dtype.
    /// </summary>
    public static PretrainedModel Load(string folder, ScalarType? dtype = null)
    {
        var config = ModelConfig.Load(folder);
        PretrainedModel model = Build(config);
        try
        {
            ScalarType target = dtype ?? ScalarType.Float32;
            if (target != model.DType) model.to(target); // convert the empty parameters first: reads then land in place
            using var tensors = CheckpointTensors.Open(folder);
            WeightLoading.Load(model, tensors.Names, (name, type) => tensors.Read(name, type), folder);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A fresh model for <paramref name="config"/> with transformers' seeded random init (e.g. from <see cref="ModelPresets.Create"/>).</summary>
    public static PretrainedModel Create(ModelConfig config, long seed)
    {
        PretrainedModel model = Build(config);
        model.InitializeWeights(seed);
        return model;
    }

    /// <summary><see cref="Load"/> for a folder that must hold a causal LM.</summary>
    public static CausalLM LoadCausalLM(string folder, ScalarType? dtype = null) =>
        Load(folder, dtype) as CausalLM ?? throw WrongHead(folder, nameof(CausalLM));

    /// <summary><see cref="Load"/> for a folder that must hold a scalar-head (reward/value) model.</summary>
    public static SequenceScoreModel LoadSequenceScoreModel(string folder, ScalarType? dtype = null) =>
        Load(folder, dtype) as SequenceScoreModel ?? throw WrongHead(folder, nameof(SequenceScoreModel));

    /// <summary>The model class for the config's head, parameters uninitialised.</summary>
    static PretrainedModel Build(ModelConfig config) =>
        config.Head == HeadKind.CausalLM ? new CausalLM(config) : new SequenceScoreModel(config);

    static InvalidDataException WrongHead(string folder, string expected)
    {
        var config = ModelConfig.Load(folder);
        return new InvalidDataException($"{Path.Combine(folder, ModelConfig.FileName)} describes {config.Architecture}, not a {expected}");
    }

    /// <summary>
    /// Writes <c>config.json</c> (atomically, unknown keys kept, <c>torch_dtype</c> set to the parameters'
    /// dtype), the weights (<c>model.safetensors</c>, or shards above <paramref name="maxShardBytes"/>) under
    /// their Hugging Face names (a tied head is not written), and <c>generation_config.json</c> with the
    /// bos/eos/pad ids.
    /// </summary>
    public static void Save(PretrainedModel model, string folder, long maxShardBytes = DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(folder);
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter.detach())).ToList();
        try
        {
            CheckpointWriter.Save(folder, tensors, maxShardBytes);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }

        var config = model.Config.ToJson();
        config["torch_dtype"] = DTypeName(model.DType);
        AtomicFile.WriteAllText(Path.Combine(folder, ModelConfig.FileName), Serialize(config));
        AtomicFile.WriteAllText(Path.Combine(folder, GenerationConfigFileName), Serialize(GenerationConfig(model.Config)));
    }

    static JsonObject GenerationConfig(ModelConfig config)
    {
        var json = new JsonObject { ["_from_model_config"] = true };
        if (config.BosTokenId is int bos) json["bos_token_id"] = bos;
        if (config.EosTokenIds.Count == 1) json["eos_token_id"] = config.EosTokenIds[0];
        else if (config.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(config.EosTokenIds.Select(e => (JsonNode)e).ToArray());
        if (config.PadTokenId is int pad) json["pad_token_id"] = pad;
        return json;
    }

    static string Serialize(JsonObject json) => json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}

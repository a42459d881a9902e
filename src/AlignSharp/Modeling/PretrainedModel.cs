using AlignSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// A decoder body plus a head, with parameter names equal to the Hugging Face checkpoint's.
/// <see cref="CausalLM"/> and <see cref="SequenceScoreModel"/> are the two heads.
/// </summary>
public abstract class PretrainedModel : NamedModule
{
    protected PretrainedModel(ModelConfig config, string name) : base(name)
    {
        Config = config;
        Names = ModuleNames.For(config.Family);
        Body = new DecoderBody(config, Names);
        register_module(Names.Body, Body);
    }

    public ModelConfig Config { get; }
    public ModuleNames Names { get; }
    public DecoderBody Body { get; }

    /// <summary>
    /// The dtype of the model's matrix work (<see cref="Runtime.Precision"/>); float32 by default.
    /// Setting it reaches every <see cref="IMixedPrecisionModule"/> in the model; parameters are untouched.
    /// </summary>
    public Precision Precision
    {
        get => _precision;
        set
        {
            _precision = value;
            foreach (var module in modules())
                if (module is IMixedPrecisionModule mixed) mixed.Precision = value;
        }
    }

    Precision _precision;

    /// <summary>Number of decoder layers (the size of a <see cref="KvCache"/>).</summary>
    public int LayerCount => Body.LayerCount;

    /// <summary>The dtype of the parameters (of the token embedding, which every model has).</summary>
    public ScalarType DType => Body.TokenEmbedding.Weight.dtype;

    /// <summary>
    /// Checkpoint tensor names that may be present but are not parameters: tied output heads and
    /// buffers older transformers versions saved (rotary inv_freq, GPT-2/NeoX causal-mask buffers).
    /// </summary>
    public virtual bool IsIgnorableCheckpointTensor(string name) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
        || (Config.Family is ArchitectureFamily.Gpt2 or ArchitectureFamily.GptNeoX
            && (name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
                || name.EndsWith(".attention.bias", StringComparison.Ordinal) || name.EndsWith(".attention.masked_bias", StringComparison.Ordinal)));

    /// <summary>See <see cref="ICausalLM.Hidden"/>.</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null) =>
        Body.Forward(inputIds, attentionMask, positionIds, cache);

    /// <summary>Final hidden states from input embeddings [batch, time, hidden] instead of ids (see <see cref="DecoderBody.ForwardEmbeddings"/>).</summary>
    public Tensor HiddenFromEmbeddings(Tensor inputEmbeds, Tensor? attentionMask = null) =>
        Body.ForwardEmbeddings(inputEmbeds, attentionMask);

    /// <summary>Writes this model as a Hugging Face folder (config.json, model.safetensors, generation_config.json).</summary>
    public void Save(string folder, long maxShardBytes = PretrainedModels.DefaultMaxShardBytes) => PretrainedModels.Save(this, folder, maxShardBytes);

    /// <summary>Sets every parameter as transformers' <c>_init_weights</c> does, from a seed.</summary>
    public void InitializeWeights(long seed) => WeightInitializer.Initialize(this, seed);
}

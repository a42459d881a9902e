using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlignSharp.Modeling;

/// <summary>Rotary frequency scaling from <c>rope_scaling</c> (only the types whose math we implement).</summary>
public sealed record RopeScaling(
    string Type,
    double Factor,
    double LowFreqFactor = 1,
    double HighFreqFactor = 4,
    int OriginalMaxPositionEmbeddings = 8192);

/// <summary>
/// A Hugging Face <c>config.json</c> read into the fields the decoder needs. The original JSON is
/// kept in <see cref="Raw"/> so keys we do not understand survive a save.
/// </summary>
public sealed record ModelConfig
{
    public required ArchitectureFamily Family { get; init; }
    public required HeadKind Head { get; init; }
    /// <summary>The <c>model_type</c> string, e.g. "llama".</summary>
    public required string ModelType { get; init; }
    /// <summary>The <c>architectures[0]</c> string, e.g. "LlamaForCausalLM".</summary>
    public required string Architecture { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int LayerCount { get; init; }
    public required int HeadCount { get; init; }
    public required int KeyValueHeadCount { get; init; }
    public required int HeadDim { get; init; }
    public required int IntermediateSize { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required double NormEpsilon { get; init; }
    /// <summary><c>hidden_act</c> / <c>activation_function</c>: silu, gelu, gelu_new, gelu_pytorch_tanh, relu.</summary>
    public required string HiddenAct { get; init; }
    public required bool TieWordEmbeddings { get; init; }
    public required double InitializerRange { get; init; }
    public double RopeTheta { get; init; } = 10000;
    /// <summary>Fraction of each head's dimensions that are rotated (GPT-NeoX <c>rotary_pct</c>; 1 elsewhere).</summary>
    public double RotaryFraction { get; init; } = 1;
    public RopeScaling? RopeScaling { get; init; }
    /// <summary>Bias on the query/key/value projections.</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on the attention output projection.</summary>
    public bool OutputBias { get; init; }
    public bool MlpBias { get; init; }
    /// <summary>GPT-NeoX: attention and MLP read the same input and are added together.</summary>
    public bool ParallelResidual { get; init; }
    /// <summary>Mistral: each token sees at most this many keys (itself included); null for full attention.</summary>
    public int? SlidingWindow { get; init; }
    public int? BosTokenId { get; init; }
    /// <summary>All end-of-sequence ids (<c>eos_token_id</c> may be a number or a list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    /// <summary>The JSON as read (or as built by a preset), including keys not modelled above.</summary>
    public required JsonObject Raw { get; init; }

    public const string FileName = "config.json";

    /// <summary>Architecture names (<c>architectures[0]</c>) this library can load.</summary>
    public static IReadOnlyDictionary<string, (ArchitectureFamily Family, HeadKind Head)> SupportedArchitectures { get; } =
        new Dictionary<string, (ArchitectureFamily, HeadKind)>
        {
            ["LlamaForCausalLM"] = (ArchitectureFamily.Llama, HeadKind.CausalLM),
            ["MistralForCausalLM"] = (ArchitectureFamily.Mistral, HeadKind.CausalLM),
            ["Qwen2ForCausalLM"] = (ArchitectureFamily.Qwen2, HeadKind.CausalLM),
            ["GPT2LMHeadModel"] = (ArchitectureFamily.Gpt2, HeadKind.CausalLM),
            ["GPTNeoXForCausalLM"] = (ArchitectureFamily.GptNeoX, HeadKind.CausalLM),
            ["LlamaForSequenceClassification"] = (ArchitectureFamily.Llama, HeadKind.SequenceScore),
            ["MistralForSequenceClassification"] = (ArchitectureFamily.Mistral, HeadKind.SequenceScore),
            ["Qwen2ForSequenceClassification"] = (ArchitectureFamily.Qwen2, HeadKind.SequenceScore),
            ["GPT2ForSequenceClassification"] = (ArchitectureFamily.Gpt2, HeadKind.SequenceScore),
            ["GPTNeoXForSequenceClassification"] = (ArchitectureFamily.GptNeoX, HeadKind.SequenceScore),
        };

    /// <summary><c>model_type</c> values this library can load.</summary>
    public static IReadOnlyDictionary<string, ArchitectureFamily> SupportedModelTypes { get; } =
        new Dictionary<string, ArchitectureFamily>
        {
            ["llama"] = ArchitectureFamily.Llama,
            ["mistral"] = ArchitectureFamily.Mistral,
            ["qwen2"] = ArchitectureFamily.Qwen2,
            ["gpt2"] = ArchitectureFamily.Gpt2,
            ["gpt_neox"] = ArchitectureFamily.GptNeoX,
        };

    /// <summary>Reads <c>config.json</c> from a checkpoint folder.</summary>
    public static ModelConfig Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No {FileName} in '{folder}': a model folder needs a Hugging Face config.json.", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e); }
        if (node is not JsonObject obj) throw new InvalidDataException($"{path} must hold a JSON object.");
        return Parse(obj, path);
    }

    /// <summary>Interprets a config JSON object; <paramref name="source"/> names it in errors.</summary>
    public static ModelConfig Parse(JsonObject json, string source = FileName)
    {
        var reader = new ConfigReader(json, source);
        string modelType = reader.String("model_type") ?? throw reader.Error("has no \"model_type\"", SupportedList());
        string? architecture = json["architectures"] is JsonArray { Count: > 0 } archs ? archs[0]?.GetValue<string>() : null;

        if (!SupportedModelTypes.TryGetValue(modelType, out ArchitectureFamily family))
            throw reader.Error($"has model_type \"{modelType}\", which AlignSharp does not support", SupportedList());
        HeadKind head = HeadKind.CausalLM;
        if (architecture is not null)
        {
            if (!SupportedArchitectures.TryGetValue(architecture, out var known))
                throw reader.Error($"has architecture \"{architecture}\", which AlignSharp does not support", SupportedList());
            if (known.Family != family)
                throw reader.Error($"has architecture \"{architecture}\" but model_type \"{modelType}\"", SupportedList());
            head = known.Head;
        }
        architecture ??= SupportedArchitectures.First(p => p.Value == (family, HeadKind.CausalLM)).Key;
        if (head == HeadKind.SequenceScore)
        {
            int labels = reader.Int("num_labels") ?? (json["id2label"] as JsonObject)?.Count ?? 2;
            if (labels != 1) throw reader.Error($"has num_labels {labels}; only scalar heads (num_labels 1) are supported");
        }

        return family switch
        {
            ArchitectureFamily.Gpt2 => ParseGpt2(reader, json, modelType, architecture, head),
            ArchitectureFamily.GptNeoX => ParseGptNeoX(reader, json, modelType, architecture, head),
            _ => ParseLlamaLike(reader, json, family, modelType, architecture, head),
        };
    }

    static string SupportedList() =>
        $"Supported model_type values: {string.Join(", ", SupportedModelTypes.Keys)}; architectures: {string.Join(", ", SupportedArchitectures.Keys)}.";

    static ModelConfig ParseLlamaLike(ConfigReader r, JsonObject json, ArchitectureFamily family, string modelType, string architecture, HeadKind head)
    {
        int hidden = r.Required("hidden_size");
        int heads = r.Required("num_attention_heads");
        bool attentionBias = r.Bool("attention_bias") ?? false;
        if (family == ArchitectureFamily.Qwen2 && (r.Bool("use_sliding_window") ?? false))
            throw r.Error("sets use_sliding_window, which AlignSharp does not implement for Qwen2");
        return new ModelConfig
        {
            Family = family, Head = head, ModelType = modelType, Architecture = architecture,
            VocabSize = r.Required("vocab_size"),
            HiddenSize = hidden,
            LayerCount = r.Required("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = r.Int("num_key_value_heads") ?? heads,
            HeadDim = r.Int("head_dim") ?? hidden / heads,
            IntermediateSize = r.Required("intermediate_size"),
            MaxPositionEmbeddings = r.Int("max_position_embeddings") ?? 2048,
            NormEpsilon = r.Double("rms_norm_eps") ?? 1e-6,
            HiddenAct = r.String("hidden_act") ?? "silu",
            TieWordEmbeddings = r.Bool("tie_word_embeddings") ?? false,
            InitializerRange = r.Double("initializer_range") ?? 0.02,
            RopeTheta = r.Double("rope_theta") ?? 10000,
            RopeScaling = ParseRopeScaling(r, json),
            // Qwen2 has biases on q/k/v only; Llama's attention_bias covers all four projections.
            QkvBias = family == ArchitectureFamily.Qwen2 || attentionBias,
            OutputBias = family != ArchitectureFamily.Qwen2 && attentionBias,
            MlpBias = r.Bool("mlp_bias") ?? false,
            SlidingWindow = family == ArchitectureFamily.Mistral ? r.Int("sliding_window") : null,
            BosTokenId = r.Int("bos_token_id"),
            EosTokenIds = r.IntList("eos_token_id"),
            PadTokenId = r.Int("pad_token_id"),
            Raw = json,
        };
    }

    static ModelConfig ParseGpt2(ConfigReader r, JsonObject json, string modelType, string architecture, HeadKind head)
    {
        int hidden = r.Int("n_embd") ?? 768;
        int heads = r.Int("n_head") ?? 12;
        if (r.Bool("scale_attn_by_inverse_layer_idx") == true || r.Bool("reorder_and_upcast_attn") == true)
            throw r.Error("sets scale_attn_by_inverse_layer_idx or reorder_and_upcast_attn, which AlignSharp does not implement");
        if (r.Bool("scale_attn_weights") == false)
            throw r.Error("sets scale_attn_weights false, which AlignSharp does not implement");
        return new ModelConfig
        {
            Family = ArchitectureFamily.Gpt2, Head = head, ModelType = modelType, Architecture = architecture,
            VocabSize = r.Int("vocab_size") ?? 50257,
            HiddenSize = hidden,
            LayerCount = r.Int("n_layer") ?? 12,
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDim = hidden / heads,
            IntermediateSize = r.Int("n_inner") ?? 4 * hidden,
            MaxPositionEmbeddings = r.Int("n_positions") ?? 1024,
            NormEpsilon = r.Double("layer_norm_epsilon") ?? 1e-5,
            HiddenAct = r.String("activation_function") ?? "gelu_new",
            TieWordEmbeddings = r.Bool("tie_word_embeddings") ?? true,
            InitializerRange = r.Double("initializer_range") ?? 0.02,
            QkvBias = true, OutputBias = true, MlpBias = true,
            BosTokenId = r.Int("bos_token_id"),
            EosTokenIds = r.IntList("eos_token_id"),
            PadTokenId = r.Int("pad_token_id"),
            Raw = json,
        };
    }

    static ModelConfig ParseGptNeoX(ConfigReader r, JsonObject json, string modelType, string architecture, HeadKind head)
    {
        int hidden = r.Required("hidden_size");
        int heads = r.Required("num_attention_heads");
        bool bias = r.Bool("attention_bias") ?? true;
        return new ModelConfig
        {
            Family = ArchitectureFamily.GptNeoX, Head = head, ModelType = modelType, Architecture = architecture,
            VocabSize = r.Required("vocab_size"),
            HiddenSize = hidden,
            LayerCount = r.Required("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDim = hidden / heads,
            IntermediateSize = r.Int("intermediate_size") ?? 4 * hidden,
            MaxPositionEmbeddings = r.Int("max_position_embeddings") ?? 2048,
            NormEpsilon = r.Double("layer_norm_eps") ?? 1e-5,
            HiddenAct = r.String("hidden_act") ?? "gelu",
            TieWordEmbeddings = r.Bool("tie_word_embeddings") ?? false,
            InitializerRange = r.Double("initializer_range") ?? 0.02,
            RopeTheta = r.Double("rope_theta") ?? r.Double("rotary_emb_base") ?? 10000,
            RotaryFraction = r.Double("partial_rotary_factor") ?? r.Double("rotary_pct") ?? 0.25,
            RopeScaling = ParseRopeScaling(r, json),
            QkvBias = bias, OutputBias = bias, MlpBias = true,
            ParallelResidual = r.Bool("use_parallel_residual") ?? true,
            BosTokenId = r.Int("bos_token_id"),
            EosTokenIds = r.IntList("eos_token_id"),
            PadTokenId = r.Int("pad_token_id"),
            Raw = json,
        };
    }

    static RopeScaling? ParseRopeScaling(ConfigReader r, JsonObject json)
    {
        if (json["rope_scaling"] is not JsonObject scaling) return null;
        var s = new ConfigReader(scaling, r.Source + " (rope_scaling)");
        string type = s.String("rope_type") ?? s.String("type") ?? throw s.Error("has no rope_type");
        switch (type)
        {
            case "default":
                return null;
            case "linear":
                return new RopeScaling(type, s.Double("factor") ?? throw s.Error("has no factor"));
            case "llama3":
                return new RopeScaling(type,
                    s.Double("factor") ?? throw s.Error("has no factor"),
                    s.Double("low_freq_factor") ?? throw s.Error("has no low_freq_factor"),
                    s.Double("high_freq_factor") ?? throw s.Error("has no high_freq_factor"),
                    s.Int("original_max_position_embeddings") ?? throw s.Error("has no original_max_position_embeddings"));
            default:
                throw s.Error($"has rope type \"{type}\"; supported: default, linear, llama3");
        }
    }

    /// <summary>
    /// The config JSON to save: the original keys plus the ones this record models, so a
    /// config changed with <c>with</c> (e.g. a different vocabulary size) is written as changed.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)Raw.DeepClone();
        json["model_type"] = ModelType;
        json["architectures"] = new JsonArray(Architecture);
        json["vocab_size"] = VocabSize;
        json["tie_word_embeddings"] = TieWordEmbeddings;
        if (BosTokenId is int bos) json["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) json["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(EosTokenIds.Select(e => (JsonNode)e).ToArray());
        if (PadTokenId is int pad) json["pad_token_id"] = pad;
        return json;
    }

    /// <summary>Typed, error-reporting access to one JSON object of a config file.</summary>
    sealed class ConfigReader(JsonObject json, string source)
    {
        public string Source => source;

        public InvalidDataException Error(string what, string? hint = null) =>
            new($"{source} {what}.{(hint is null ? "" : " " + hint)}");

        public int Required(string key) => Int(key) ?? throw Error($"has no \"{key}\"");

        public int? Int(string key) => Get(key, n => Number(n) is double d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int?)d : null, "an integer");

        public double? Double(string key) => Get(key, Number, "a number");

        /// <summary>Any JSON number (a node built in code may hold an int, one parsed from text a JsonElement).</summary>
        static double? Number(JsonNode n) =>
            n.GetValueKind() == JsonValueKind.Number ? double.Parse(n.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;

        public bool? Bool(string key) => Get(key, n => n.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => (bool?)null,
        }, "true or false");

        public string? String(string key) => Get(key, n => n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null, "a string");

        public IReadOnlyList<int> IntList(string key)
        {
            JsonNode? node = json[key];
            if (node is null) return [];
            if (node is JsonArray array)
                return array.Select(n => n is not null && Number(n) is double d && d == Math.Floor(d)
                    ? (int)d : throw Error($"has a non-integer in \"{key}\"")).ToList();
            return [Int(key)!.Value];
        }

        T? Get<T>(string key, Func<JsonNode, T?> convert, string expected)
        {
            JsonNode? node = json[key];
            if (node is null) return default; // absent or JSON null: use the default
            return convert(node) ?? throw Error($"has \"{key}\": {node.ToJsonString()}, expected {expected}");
        }
    }
}

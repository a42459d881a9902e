namespace AlignSharp.Modeling;

/// <summary>The decoder families AlignSharp implements; each maps to one Hugging Face <c>model_type</c>.</summary>
public enum ArchitectureFamily
{
    Llama,
    Mistral,
    Qwen2,
    Gpt2,
    GptNeoX,
}

/// <summary>What sits on top of the decoder body.</summary>
public enum HeadKind
{
    /// <summary>Vocabulary projection (<c>...ForCausalLM</c>, <c>GPT2LMHeadModel</c>).</summary>
    CausalLM,
    /// <summary>One scalar per sequence (<c>...ForSequenceClassification</c> with <c>num_labels</c> 1).</summary>
    SequenceScore,
}

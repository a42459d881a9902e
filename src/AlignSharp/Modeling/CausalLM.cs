using AlignSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// A decoder with a vocabulary head: <c>LlamaForCausalLM</c>, <c>MistralForCausalLM</c>,
/// <c>Qwen2ForCausalLM</c>, <c>GPT2LMHeadModel</c>, <c>GPTNeoXForCausalLM</c>.
/// With <c>tie_word_embeddings</c> the head is the token embedding itself, not a separate tensor.
/// </summary>
public sealed class CausalLM : PretrainedModel, ICausalLM
{
    readonly LinearLayer? _outputHead;

    /// <summary>Builds the model with uninitialised parameters: load them or call <see cref="PretrainedModel.InitializeWeights"/>.</summary>
    public CausalLM(ModelConfig config) : base(config, nameof(CausalLM))
    {
        if (config.Head != HeadKind.CausalLM)
            throw new ArgumentException($"{config.Architecture} is not a causal LM; use {nameof(SequenceScoreModel)}");
        if (!config.TieWordEmbeddings)
        {
            _outputHead = new LinearLayer(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module(Names.OutputHead, _outputHead);
        }
    }

    public long VocabSize => Config.VocabSize;

    /// <summary>See <see cref="ICausalLM.HiddenPacked"/>.</summary>
    public Tensor HiddenPacked(Tensor inputIds, Tensor documentIds, Tensor? attentionMask = null)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        return Body.Forward(inputIds, attentionMask, null, null, documentIds);
    }

    /// <summary>The [vocab, hidden] output matrix (the token embedding when tied).</summary>
    public Tensor OutputWeight => _outputHead?.Weight ?? Body.TokenEmbedding.Weight;

    /// <summary>
    /// Under <see cref="Precision.BFloat16"/> the projection runs on bf16 casts and the logits are bf16;
    /// callers cast them to fp32 before log-softmax (as <c>ChunkedLogProbs</c> does), as autocast users do.
    /// </summary>
    public Tensor Logits(Tensor hidden)
    {
        if (Precision.MatmulType() is not ScalarType type) return nn.functional.linear(hidden, OutputWeight);
        using var scope = NewDisposeScope();
        return nn.functional.linear(MixedPrecision.ForMatmul(hidden, type), MixedPrecision.ForMatmul(OutputWeight, type)).MoveToOuterDisposeScope();
    }

    public override bool IsIgnorableCheckpointTensor(string name) =>
        base.IsIgnorableCheckpointTensor(name) || (Config.TieWordEmbeddings && name == Names.OutputHead + ".weight");
}

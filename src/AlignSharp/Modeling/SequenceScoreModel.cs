using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// A decoder with a scalar head <c>score</c> ([1, hidden], no bias): the <c>...ForSequenceClassification</c>
/// models with num_labels 1 used as reward and value models. The sequence's score is the head's
/// output at its last real token.
/// </summary>
public sealed class SequenceScoreModel : PretrainedModel
{
    readonly LinearLayer _score;

    public SequenceScoreModel(ModelConfig config) : base(config, nameof(SequenceScoreModel))
    {
        if (config.Head != HeadKind.SequenceScore)
            throw new ArgumentException($"{config.Architecture} is not a sequence-classification model; use {nameof(CausalLM)}");
        _score = new LinearLayer(config.HiddenSize, 1, hasBias: false);
        register_module(ModuleNames.ScoreHead, _score);
    }

    /// <summary>Per-token scores [batch, time] (what a value model needs).</summary>
    public Tensor TokenScores(Tensor hidden) => _score.Forward(hidden).squeeze(-1);

    /// <summary>
    /// One score per row [batch], read at the last position whose mask is 1 (works for left and right
    /// padding; transformers finds the same token by the last non-pad id).
    /// </summary>
    public Tensor Scores(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputIds, attentionMask, positionIds);
        long batch = inputIds.shape[0], time = inputIds.shape[1];
        Tensor last;
        if (attentionMask is null) last = full(batch, time - 1, ScalarType.Int64, inputIds.device);
        else
        {
            // Index of the rightmost real token: argmax of position·mask.
            var positions = arange(time, ScalarType.Int64, inputIds.device).unsqueeze(0);
            last = (positions * attentionMask.ne(0).to(ScalarType.Int64)).argmax(-1);
        }
        long width = hidden.shape[^1];
        var lastHidden = hidden.gather(1, last.view(batch, 1, 1).expand(batch, 1, width)).squeeze(1); // [batch, hidden]
        return _score.Forward(lastHidden).squeeze(-1).MoveToOuterDisposeScope();
    }
}

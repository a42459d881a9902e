using System.Globalization;
using AlignSharp.Modeling;
using AlignSharp.Scoring;

namespace AlignSharp.Rewards;

/// <summary>
/// A DPO model's implicit reward r(x, y) = β·(log π_dpo(y|x) − log π_ref(y|x)), summed over the completion's
/// tokens (EOS included): how MODPO's official code turns a DPO run on one objective into a margin scorer.
/// Use the β the DPO model was trained with (algorithms.md §2 pitfall 4: another β rescales the margin).
/// Scores the exact token ids it is given, without gradients; holds both models while alive.
/// </summary>
public sealed class ImplicitDpoReward : IMarginScorer
{
    readonly CausalLM _policy;
    readonly CausalLM _reference;

    /// <param name="dpoModel">The DPO-trained folder.</param>
    /// <param name="referenceModel">The reference it was trained against (usually its SFT model); same vocabulary.</param>
    /// <param name="beta">The DPO run's β.</param>
    public ImplicitDpoReward(string dpoModel, string referenceModel, double beta)
    {
        if (!(beta > 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "implicit DPO reward: beta must be a positive finite number");
        _policy = PretrainedModels.LoadCausalLM(dpoModel);
        try
        {
            _reference = PretrainedModels.LoadCausalLM(referenceModel);
        }
        catch
        {
            _policy.Dispose();
            throw;
        }
        if (_reference.VocabSize != _policy.VocabSize)
        {
            Dispose();
            throw new InvalidDataException(
                $"implicit DPO reward: {referenceModel} has vocab_size {_reference.VocabSize} but {dpoModel} has {_policy.VocabSize}; both must score the same token ids");
        }
        _policy.eval();
        _reference.eval();
        Beta = beta;
        Name = $"implicit_dpo_{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dpoModel)))}_beta{beta.ToString("R", CultureInfo.InvariantCulture)}";
    }

    public double Beta { get; }

    public string Name { get; }

    public IReadOnlyList<double> Score(IReadOnlyList<MarginInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var rows = batch.Select(i => new ScoringRow(i.PromptIds, i.CompletionIds)).ToArray();
        var policy = new CompletionScorer(_policy).ScoreMany(rows);
        var reference = new CompletionScorer(_reference).ScoreMany(rows);
        return policy.Select((p, i) => Beta * (p.SumLogProb - reference[i].SumLogProb)).ToArray();
    }

    public void Dispose()
    {
        _policy.Dispose();
        _reference.Dispose();
    }
}

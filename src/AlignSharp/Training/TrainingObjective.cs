using AlignSharp.Objectives;

namespace AlignSharp.Training;

/// <summary>
/// What <see cref="TrainingLoop"/> needs to train on examples of type <typeparamref name="TExample"/>:
/// the loss of a micro-batch and how many tokens an example holds. The loop knows nothing else about
/// the objective, so SFT, reward modelling and DPO all run through the same loop.
/// </summary>
/// <param name="Loss">
/// Builds the micro-batch (collation, scoring) and returns the objective's output. Normalise the loss by
/// the whole optimizer step (<see cref="MicroBatchContext.StepLossTokens"/> for a token mean,
/// <see cref="MicroBatchContext.StepExamples"/> for a mean over sequences or pairs), so the micro-batch
/// losses add up to the loss of the full batch and the accumulated gradient equals the full-batch gradient.
/// Runs inside the loop's dispose scope; the loop disposes the output.
/// </param>
/// <param name="Tokens">Tokens the model processes for one example (prompt + completion): the tokens/s numerator.</param>
/// <param name="LossTokens">
/// Tokens of one example the loss is averaged over (e.g. completion tokens for SFT's TokenMean);
/// null means <paramref name="Tokens"/>.
/// </param>
/// <param name="LossAndBackward">
/// Optional: an objective that back-propagates a micro-batch itself, for steps that cannot be one
/// <c>loss.backward()</c> (e.g. DPO's chosen and rejected rows back-propagated one side at a time,
/// <c>Recipes.PairSplitPassStep</c>, to hold half the activations). When set, training calls it
/// instead of <paramref name="Loss"/> followed by backward: it leaves the micro-batch's gradients accumulated
/// in the parameters and returns the loss's value, detached, with the same normalisation and metrics as
/// <paramref name="Loss"/>. A non-finite value still stops the run before any update. Evaluation (under
/// no_grad) always uses <paramref name="Loss"/>, so that stays a forward-only computation of the same loss.
/// </param>
public sealed record TrainingObjective<TExample>(
    Func<IReadOnlyList<TExample>, MicroBatchContext, ObjectiveOutput> Loss,
    Func<TExample, long> Tokens,
    Func<TExample, long>? LossTokens = null,
    Func<IReadOnlyList<TExample>, MicroBatchContext, ObjectiveOutput>? LossAndBackward = null);

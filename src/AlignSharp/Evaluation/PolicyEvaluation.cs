using AlignSharp.Tasks;

namespace AlignSharp.Evaluation;

/// <summary>
/// A policy measured on a task's held-out prompts: mean true reward, accuracy (the task's success rule) and
/// <see cref="TaskEvaluation.KlToReference"/> = the mean over samples of log π(y|x) − log π_ref(y|x), summed over
/// completion tokens: a Monte-Carlo estimate of KL(π‖π_ref) when sampled at temperature 1 (not a KL under greedy decoding).
/// </summary>
public sealed record PolicyEvaluation(string Name, TaskEvaluation Task, EvaluationOptions Options, IReadOnlyList<EvaluatedSample> Samples);

using AlignSharp.Evaluation;

namespace AlignSharp.Recipes;

/// <summary>What the quickstart produced: the three evaluations (base, SFT, DPO; KL to the SFT model) and the runs.</summary>
public sealed record QuickstartResult(string OutputDir, IReadOnlyList<PolicyEvaluation> Evaluations, RecipeResult Sft, RecipeResult Dpo, TimeSpan Elapsed);

using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Recipes.Online;

/// <summary>A finished online run: the Hugging Face folder it wrote, the rollout plan it ran and the loop's result (every metrics row).</summary>
public sealed record OnlineRecipeResult(string OutputDir, RolloutPlan Plan, TrainingResult Training);

using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>A finished recipe: the Hugging Face folder it wrote, the plan it ran and the loop's result (every metrics row).</summary>
public sealed record RecipeResult(string OutputDir, RecipePlan Plan, TrainingResult Training);

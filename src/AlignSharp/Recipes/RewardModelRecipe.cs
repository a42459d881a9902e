using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Reward modelling, written out: source = preference pairs, scorer = a scalar head read at each sequence's last
/// token (its EOS), objective = <see cref="BradleyTerryLoss"/> −log σ(r_w − r_l − m). Starts from a language-model
/// folder (new <c>score</c> head) or a reward-model folder, and saves a <c>...ForSequenceClassification</c> folder
/// (num_labels 1) with the tokenizer. Sequences are tokenised as everywhere else (prompt with BOS, completion + EOS),
/// which is exactly how <see cref="Rewards.ModelReward"/> scores them later.
/// </summary>
public static class RewardModelRecipe
{
    public const string Method = "rm";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PreparePairs(model, dataPath, options, Method);

    public static RecipeResult Run(string modelDir, string dataPath, RewardModelRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        using ModelFolder folder = ModelFolder.Load(modelDir);
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);

        // A language model gets a new score head (a second model, disposed here); a reward model trains on as is (the folder owns it).
        using SequenceScoreModel? created = folder.Model is SequenceScoreModel ? null : RewardModelFactory.FromCausalLM(folder.Model, options.HeadSeed);
        SequenceScoreModel model = created ?? (SequenceScoreModel)folder.Model;
        model.Precision = common.Precision;
        if (created is not null)
            callbacks.Write($"reward model: {model.Config.Architecture} with the body of {modelDir} and a new score head (seed {options.HeadSeed})");

        var pairs = plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        var loss = new BradleyTerryLoss(new BradleyTerryOptions { CenterRewardsCoefficient = options.CenterRewardsCoefficient });
        var objective = new TrainingObjective<TokenizedPair>(
            Loss: (batch, step) =>
            {
                // Chosen and rejected in one forward pass (same padded length), then split.
                using PreferenceBatch collated = BatchCollator.CollatePairs(batch, paddingId);
                Tensor ids = cat([collated.Chosen.InputIds, collated.Rejected.InputIds], 0);
                Tensor mask = cat([collated.Chosen.AttentionMask, collated.Rejected.AttentionMask], 0);
                Tensor scores = model.Scores(ids, mask);
                Tensor chosen = scores.narrow(0, 0, batch.Count), rejected = scores.narrow(0, batch.Count, batch.Count);
                Tensor? margins = options.Margin is { } m and not 0 ? full(batch.Count, m, dtype: scores.dtype) : null;
                return loss.Compute(chosen, rejected, margins, pairNormaliser: step.StepExamples);
            },
            Tokens: p => p.Chosen.Length + p.Rejected.Length);

        var evalPairs = plan.EvalData?.Rows.Cast<TokenizedPair>().ToArray();
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalPairs, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(model, pairs, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(model, folder.Tokenizer, common.Training.OutputDir);
        callbacks.Write($"saved the reward model ({model.Config.Architecture}, num_labels 1) to {common.Training.OutputDir}");
        return new RecipeResult(common.Training.OutputDir, plan, result);
    }
}

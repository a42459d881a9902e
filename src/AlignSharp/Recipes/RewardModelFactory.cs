using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>A reward model started from a language model: the same body, a new scalar <c>score</c> head.</summary>
public static class RewardModelFactory
{
    /// <summary>
    /// The <c>...ForSequenceClassification</c> (num_labels 1) twin of <paramref name="languageModel"/>: its config with
    /// the architecture changed, the body's weights copied, the score head initialised as transformers does from <paramref name="headSeed"/>.
    /// </summary>
    public static SequenceScoreModel FromCausalLM(PretrainedModel languageModel, long headSeed)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        ModelConfig lm = languageModel.Config;
        string architecture = ModelConfig.SupportedArchitectures
            .First(a => a.Value == (lm.Family, HeadKind.SequenceScore)).Key;
        var json = lm.ToJson();
        json["architectures"] = new System.Text.Json.Nodes.JsonArray(architecture);
        json["num_labels"] = 1;
        ModelConfig config = ModelConfig.Parse(json, $"{lm.Architecture} turned into {architecture}");

        var model = new SequenceScoreModel(config);
        try
        {
            model.InitializeWeights(headSeed);
            var source = languageModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using var noGrad = no_grad();
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.StartsWith(ModuleNames.ScoreHead + ".", StringComparison.Ordinal)) continue;
                if (!source.TryGetValue(name, out var weight))
                    throw new InvalidOperationException($"the language model has no parameter '{name}' to start the reward model's body from");
                parameter.copy_(weight);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

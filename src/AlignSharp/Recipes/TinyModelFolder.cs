using AlignSharp.Modeling;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Recipes;

/// <summary>A fresh seeded model folder with the byte tokenizer and the ChatML template: what <c>alignsharp init</c> and the quickstart write.</summary>
public static class TinyModelFolder
{
    /// <summary>Writes the folder; returns the model's config and its parameter count.</summary>
    public static (ModelConfig Config, long Parameters) Create(string folder, long seed, string arch = "llama", string preset = "tiny")
    {
        var tokenizer = new ByteTokenizer();
        ModelConfig config = ModelPresets.Create(arch, preset, tokenizer.VocabSize, tokenizer.BosTokenId, tokenizer.EosTokenId, tokenizer.PadTokenId);
        using var model = new CausalLM(config);
        model.InitializeWeights(seed);
        model.Save(folder);
        TokenizerFolder.Save(tokenizer, folder, TokenizerSettings.Empty with
        {
            BosToken = tokenizer.BosToken,
            EosToken = tokenizer.EosToken,
            PadToken = tokenizer.PadToken,
            ChatTemplate = ChatMlTemplate.PlainJinja,
        });
        return (config, model.parameters().Sum(p => p.numel()));
    }
}

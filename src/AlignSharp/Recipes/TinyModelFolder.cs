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
        return (config, Create(folder, config, seed));
    }

    /// <summary>
    /// The same folder for any <paramref name="config"/> (e.g. the bench's reference size). Its vocabulary may be larger
    /// than the byte tokenizer's; its special token ids are set to the tokenizer's. Returns the parameter count.
    /// </summary>
    public static long Create(string folder, ModelConfig config, long seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tokenizer = new ByteTokenizer();
        if (config.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"vocab_size {config.VocabSize} is smaller than the byte tokenizer's {tokenizer.VocabSize}", nameof(config));
        config = config with { BosTokenId = tokenizer.BosTokenId, EosTokenIds = [tokenizer.EosTokenId!.Value], PadTokenId = tokenizer.PadTokenId };
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
        return model.parameters().Sum(p => p.numel());
    }
}

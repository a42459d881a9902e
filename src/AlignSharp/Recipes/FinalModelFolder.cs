using AlignSharp.Modeling;
using AlignSharp.Text;

namespace AlignSharp.Recipes;

/// <summary>
/// The end of every recipe: a Hugging Face folder that transformers and <see cref="ModelFolder.Load"/> read as is
/// (config.json, model.safetensors, generation_config.json with the tokenizer's EOS, tokenizer files; DESIGN.md pitfalls 4, 5).
/// </summary>
public static class FinalModelFolder
{
    public static void Save(PretrainedModel model, LoadedTokenizer tokenizer, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        model.Save(folder);
        TokenizerFolder.Save(tokenizer, folder);
    }
}

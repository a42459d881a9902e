using AlignSharp.Modeling;
using AlignSharp.Runtime;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;
using static TorchSharp.torch;

namespace AlignSharp;

/// <summary>
/// A Hugging Face model folder as one unit: the model (config.json + safetensors), its tokenizer
/// (tokenizer.json or tokenizer.model + tokenizer_config.json) and, on request, its chat template.
/// Everything that trains, scores or generates starts here, so all of them see the same tokenisation.
/// </summary>
public sealed class ModelFolder : IDisposable
{
    ModelFolder(string path, PretrainedModel model, LoadedTokenizer tokenizer)
    {
        Path = path;
        Model = model;
        Tokenizer = tokenizer;
    }

    public string Path { get; }
    public PretrainedModel Model { get; }
    public LoadedTokenizer Tokenizer { get; }

    /// <summary>The model as a language model; a clear error for a reward (sequence-classification) folder.</summary>
    public CausalLM CausalLM => Model as CausalLM
        ?? throw new InvalidDataException($"{System.IO.Path.Combine(Path, ModelConfig.FileName)}: {Model.Config.Architecture} is a scalar-head (reward/value) model, not a causal language model");

    /// <summary>
    /// Loads model and tokenizer; <paramref name="dtype"/> casts the weights (e.g. bfloat16);
    /// <paramref name="precision"/> selects bf16 matrix work on the weights as stored (mixed precision).
    /// </summary>
    public static ModelFolder Load(string path, ScalarType? dtype = null, Precision precision = Precision.Float32)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: no such model folder");
        LoadedTokenizer tokenizer = TokenizerFolder.Load(path);
        PretrainedModel model = PretrainedModels.Load(path, dtype);
        if (tokenizer.Tokenizer.VocabSize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"{path}: the tokenizer has {tokenizer.Tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}");
        }
        model.Precision = precision;
        return new ModelFolder(path, model, tokenizer);
    }

    /// <summary>
    /// The chat template to use: <paramref name="overrideName"/> when given (a built-in name),
    /// else the one recognised from tokenizer_config.json. Unrecognised or missing → a clear error.
    /// </summary>
    public IChatTemplate ChatTemplate(string? overrideName = null) =>
        ChatTemplateRegistry.Resolve(Tokenizer.Settings.ChatTemplate, overrideName);

    public ChatTemplateContext ChatContext => ChatTemplateContext.For(Tokenizer.Tokenizer);

    public void Dispose() => Model.Dispose();
}

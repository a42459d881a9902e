using System.CommandLine;
using AlignSharp.Checkpoints;
using AlignSharp.Modeling;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp info DIR</c>: what a model folder holds, read without building the model.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A Hugging Face model folder." };
        var command = new Command("info", "Print a model folder's architecture, parameter count, dtype, tokenizer and chat template.") { folder };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(folder)!)));
        return command;
    }

    static int Run(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such model folder");
        ModelConfig config = ModelConfig.Load(folder);
        long parameters = 0;
        var dtypes = new SortedSet<string>();
        using (CheckpointTensors tensors = CheckpointTensors.Open(folder))
        {
            foreach (string name in tensors.Names)
            {
                SafetensorsTensorInfo info = tensors.Info(name);
                parameters += info.ElementCount;
                dtypes.Add(info.DType);
            }
        }
        LoadedTokenizer tokenizer = TokenizerFolder.Load(folder);
        ITokenizer t = tokenizer.Tokenizer;

        var table = new Table().HideHeaders().AddColumn("key").AddColumn("value");
        void Row(string key, string value) => table.AddRow(Markup.Escape(key), Markup.Escape(value));
        Row("folder", Path.GetFullPath(folder));
        Row("architecture", $"{config.Architecture} (model_type {config.ModelType})");
        Row("parameters", $"{parameters:N0}");
        Row("dtype", string.Join(", ", dtypes));
        Row("layers × hidden", $"{config.LayerCount} × {config.HiddenSize} (intermediate {config.IntermediateSize})");
        Row("heads", $"{config.HeadCount} query, {config.KeyValueHeadCount} key/value, head_dim {config.HeadDim}");
        Row("vocab_size", $"{config.VocabSize}");
        Row("max positions", $"{config.MaxPositionEmbeddings}");
        Row("tokenizer", $"{t.GetType().Name}, {t.VocabSize} ids; bos {Show(t.BosToken, t.BosTokenId)}, eos {Show(t.EosToken, t.EosTokenId)}, pad {Show(t.PadToken, t.PadTokenId)}");
        Row("chat template", DescribeTemplate(tokenizer.Settings.ChatTemplate));
        AnsiConsole.Write(table);
        return 0;
    }

    static string Show(string? token, int? id) => token is null ? "none" : $"{token} ({id})";

    static string DescribeTemplate(string? jinja)
    {
        if (jinja is null) return "none";
        try { return ChatTemplateRegistry.Recognize(jinja).Name; }
        catch (ChatTemplateNotRecognizedException) { return "present but not recognised (use --chat-template NAME)"; }
    }
}

using System.CommandLine;
using System.Diagnostics;
using AlignSharp.Generation;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp generate</c>: sample a continuation of one prompt (KV-cached).</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The prompt text.", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens; 0 is off.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling: the smallest set of tokens with probability ≥ p; 1 is off.", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long?>("--seed") { Description = "Seed: the same seed gives the same text." };
        var chat = new Option<bool>("--chat") { Description = "Treat the prompt as a user message and apply the model's chat template." };
        var chatTemplate = new Option<string?>("--chat-template") { Description = $"With --chat: a built-in template instead of the model's ({string.Join(", ", ChatTemplateRegistry.KnownNames)})." };
        var stop = new Option<string[]>("--stop") { Description = "Stop strings (repeatable); the text is cut before them.", AllowMultipleArgumentsPerToken = false };

        var command = new Command("generate", "Generate a continuation of a prompt.")
        {
            model, prompt, maxNewTokens, temperature, topK, topP, seed, chat, chatTemplate, stop,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var options = new GenerationOptions(
                MaxNewTokens: parse.GetValue(maxNewTokens),
                Temperature: parse.GetValue(temperature),
                TopK: parse.GetValue(topK),
                TopP: parse.GetValue(topP),
                StopStrings: parse.GetValue(stop) is { Length: > 0 } s ? s : null,
                Seed: parse.GetValue(seed));
            return Run(parse.GetValue(model)!, parse.GetValue(prompt)!, options, parse.GetValue(chat) || parse.GetValue(chatTemplate) is not null, parse.GetValue(chatTemplate));
        }));
        return command;
    }

    static int Run(string modelPath, string promptText, GenerationOptions options, bool chat, string? chatTemplateName)
    {
        using ModelFolder folder = ModelFolder.Load(modelPath);
        ITokenizer tokenizer = folder.Tokenizer.Tokenizer;
        IReadOnlyList<int> promptIds = chat
            ? tokenizer.Encode(folder.ChatTemplate(chatTemplateName).RenderText([ChatMessage.User(promptText)], addGenerationPrompt: true, folder.ChatContext), addSpecialTokens: false)
            : tokenizer.Encode(promptText, addSpecialTokens: true);

        var clock = Stopwatch.StartNew();
        GeneratedSequence result = new SequenceGenerator(folder.CausalLM, tokenizer).Generate([promptIds], options)[0];
        clock.Stop();

        Console.WriteLine(result.Text ?? tokenizer.Decode(result.TokenIds, skipSpecialTokens: true));
        Console.Error.WriteLine($"[{result.TokenIds.Length} tokens in {clock.Elapsed.TotalSeconds:F2} s, " +
            $"{result.TokenIds.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F1} tokens/s; finish: {result.FinishReason}]");
        return 0;
    }
}

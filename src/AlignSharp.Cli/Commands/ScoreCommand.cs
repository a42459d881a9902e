using System.CommandLine;
using System.Text.Json;
using AlignSharp.Data;
using AlignSharp.Scoring;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// <c>alignsharp score</c>: the summed log-probability of each row's completion given its prompt.
/// Prompt and completion are tokenised separately and concatenated, as TRL does: the prompt with the
/// tokenizer's special tokens (e.g. BOS), the completion without; no EOS is added, so exactly the
/// given completion text is scored.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder.", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "JSONL input: rows {\"prompt\", \"completion\"} (plain text) or {\"messages\": [...]} ending with an assistant message (needs a chat template).",
            Required = true,
        };
        var output = new Option<string>("--output") { Description = "JSONL output, one row per input row in input order: logprob (sum over completion tokens) and tokens (their count).", Required = true };
        var chatTemplate = new Option<string?>("--chat-template") { Description = $"Chat template for 'messages' rows (default: recognised from the model's tokenizer_config.json). Built-in: {string.Join(", ", ChatTemplateRegistry.KnownNames)}." };
        var perToken = new Option<bool>("--per-token") { Description = "Also write each completion token's log-prob (token_logprobs)." };
        var batchRows = new Option<int>("--batch-rows") { Description = "Most rows per forward pass.", DefaultValueFactory = _ => 16 };

        var command = new Command("score", "Score completions: summed log-probs of each completion given its prompt.")
        {
            model, data, output, chatTemplate, perToken, batchRows,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!,
            parse.GetValue(chatTemplate), parse.GetValue(perToken), parse.GetValue(batchRows))));
        return command;
    }

    static int Run(string modelPath, string dataPath, string outputPath, string? chatTemplateName, bool perToken, int batchRows)
    {
        if (batchRows < 1) throw new UserInputException($"--batch-rows must be at least 1 (got {batchRows})");
        using ModelFolder folder = ModelFolder.Load(modelPath);
        ITokenizer tokenizer = folder.Tokenizer.Tokenizer;
        IChatTemplate? template = null; // resolved on the first 'messages' row, so plain-text data needs none

        var rows = new List<ScoringRow>();
        foreach (JsonlRow row in JsonlReader.Read(dataPath))
        {
            if (row.Has("messages"))
            {
                template ??= folder.ChatTemplate(chatTemplateName);
                (string prompt, string completion) = SplitLastAssistantTurn(row, template, folder.ChatContext);
                rows.Add(new ScoringRow(tokenizer.Encode(prompt, addSpecialTokens: false), tokenizer.Encode(completion, addSpecialTokens: false)));
            }
            else
            {
                rows.Add(new ScoringRow(tokenizer.Encode(row.GetString("prompt"), addSpecialTokens: true),
                    tokenizer.Encode(row.GetString("completion"), addSpecialTokens: false)));
            }
        }

        var scorer = new CompletionScorer(folder.CausalLM, new ScoringOptions(MaxBatchRows: batchRows));
        IReadOnlyList<RowScore> scores = ConsoleProgress.Run($"scoring {rows.Count} rows", rows.Count,
            report => scorer.ScoreMany(rows, progress => report(progress.RowsDone)));

        using var writer = new JsonlWriter(outputPath);
        foreach (RowScore score in scores)
        {
            if (perToken) writer.Write(new { logprob = score.SumLogProb, tokens = score.TokenCount, token_logprobs = score.TokenLogProbs });
            else writer.Write(new { logprob = score.SumLogProb, tokens = score.TokenCount });
        }
        writer.Commit();
        AnsiConsole.MarkupLineInterpolated($"Scored {rows.Count} rows → [bold]{outputPath}[/]");
        return 0;
    }

    /// <summary>The conversation up to the last assistant turn (prompt) and that turn with its end marker (completion).</summary>
    static (string Prompt, string Completion) SplitLastAssistantTurn(JsonlRow row, IChatTemplate template, ChatTemplateContext context)
    {
        JsonElement messagesElement = row.Value.GetProperty("messages");
        if (messagesElement.ValueKind != JsonValueKind.Array || messagesElement.GetArrayLength() == 0)
            throw new DataFormatException(row.File, row.Line, "expected a non-empty list of {\"role\", \"content\"} objects", "messages");
        var messages = new List<ChatMessage>();
        foreach (JsonElement message in messagesElement.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out JsonElement role) || role.ValueKind != JsonValueKind.String
                || !message.TryGetProperty("content", out JsonElement content) || content.ValueKind != JsonValueKind.String)
                throw new DataFormatException(row.File, row.Line, $"message {messages.Count + 1} is not a {{\"role\": string, \"content\": string}} object", "messages");
            messages.Add(new ChatMessage(role.GetString()!, content.GetString()!));
        }
        if (messages[^1].Role != ChatMessage.AssistantRole)
            throw new DataFormatException(row.File, row.Line, "the last message must be the assistant's (it is what gets scored)", "messages");

        RenderedChat rendered = template.Render(messages, addGenerationPrompt: false, context);
        CharSpan last = rendered.AssistantSpans[^1];
        return (rendered.Text[..last.Start], rendered.Text.Substring(last.Start, last.Length));
    }
}

using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>
/// The one tokenisation path from dataset rows to training sequences, shared by every objective
/// (DESIGN.md pitfall 3).
/// Plain text: the prompt is encoded with the tokenizer's special tokens (its BOS, if it adds one),
/// the completion without, and EOS is appended to the completion unless it already ends with it
/// (so models learn to stop, pitfall 5).
/// Conversations: the chat template renders the text (BOS included), which is encoded without special
/// tokens piecewise at the assistant-span boundaries, so the loss mask follows token positions; the
/// ids must decode back to the rendered text, or the row is an error.
/// </summary>
public sealed class DatasetTokenizer
{
    readonly ITokenizer _tokenizer;
    readonly IChatTemplate? _template;
    readonly ChatTemplateContext _context;

    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="chatTemplate">Needed for conversational rows (message lists); null for plain-text datasets.</param>
    /// <param name="context">The template's variables; defaults to the tokenizer's BOS/EOS strings.</param>
    public DatasetTokenizer(ITokenizer tokenizer, IChatTemplate? chatTemplate = null, ChatTemplateContext? context = null)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _template = chatTemplate;
        _context = context ?? ChatTemplateContext.For(tokenizer);
    }

    /// <summary>Tokenises every row; a row that cannot be tokenised is an error, or skipped and listed with <paramref name="skipInvalid"/>.</summary>
    public TokenizationResult TokenizeAll(IEnumerable<DatasetRow> rows, bool skipInvalid = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tokenized = new List<TokenizedRow>();
        var skipped = new List<DatasetProblem>();
        foreach (DatasetRow row in rows)
        {
            try { tokenized.Add(Tokenize(row)); }
            catch (DataFormatException error) when (skipInvalid) { skipped.Add(error.ToProblem()); }
        }
        return new TokenizationResult(tokenized, skipped);
    }

    /// <summary>The sequences of one row; problems are a <see cref="DataFormatException"/> naming the row.</summary>
    public TokenizedRow Tokenize(DatasetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            return row switch
            {
                SftRow sft => new TokenizedExample(sft.Source, Tokenize(sft.Prompt, sft.Completion)),
                ScoredRow scored => new TokenizedExample(scored.Source, Tokenize(scored.Prompt, scored.Completion), scored.Reward),
                ConversationRow conversation => new TokenizedExample(conversation.Source, TokenizeConversation(conversation.Messages)),
                PreferenceRow pair => new TokenizedPair(pair.Source, Tokenize(pair.Prompt, pair.Chosen), Tokenize(pair.Prompt, pair.Rejected)),
                _ => throw new ArgumentException($"unknown row type {row.GetType().Name}", nameof(row)),
            };
        }
        catch (Exception e) when (e is InvalidDataException or ChatTemplateException or ChatRoleOrderException or ArgumentException and not ArgumentNullException)
        {
            throw new DataFormatException(row.Source.File, row.Source.Line, e.Message, inner: e);
        }
    }

    /// <summary>A prompt and its completion, both plain text or both message lists.</summary>
    public TokenizedSequence Tokenize(RowContent prompt, RowContent completion)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        if (prompt.IsConversational != completion.IsConversational)
            throw new InvalidDataException("the prompt and the completion must both be plain text or both be message lists");
        return prompt.IsConversational
            ? TokenizeConversation(prompt.Messages!, completion.Messages!)
            : TokenizeText(prompt.Text!, completion.Text!);
    }

    /// <summary>
    /// Plain text: [specials + prompt] then [completion + EOS]; the loss is on the completion and EOS.
    /// An EOS the tokenizer appends to the prompt (add_eos_token) is dropped: the model must not see one before its answer.
    /// </summary>
    public TokenizedSequence TokenizeText(string prompt, string completion)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        int eos = _tokenizer.EosTokenId ?? throw new InvalidDataException(
            "the tokenizer has no EOS token, so completions cannot teach the model to stop");
        var promptIds = new List<int>(_tokenizer.Encode(prompt, addSpecialTokens: true));
        // A post-processor that appends EOS (add_eos_token) must not end the prompt: the answer follows it.
        if (promptIds.Count > 0 && promptIds[^1] == eos && !(_tokenizer.EosToken is { } eosText && prompt.EndsWith(eosText, StringComparison.Ordinal)))
            promptIds.RemoveAt(promptIds.Count - 1);
        var completionIds = new List<int>(_tokenizer.Encode(completion, addSpecialTokens: false));
        if (completionIds.Count == 0 || completionIds[^1] != eos) completionIds.Add(eos);
        int[] ids = [.. promptIds, .. completionIds];
        bool[] mask = ids.Select((_, i) => i >= promptIds.Count).ToArray();
        return new TokenizedSequence(ids, mask, promptIds.Count, CompletionWasEmpty: completion.Length == 0);
    }

    /// <summary>A multi-turn conversation: the loss is on every assistant turn (end-of-turn marker included).</summary>
    public TokenizedSequence TokenizeConversation(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        RenderedChat chat = RequireTemplate().Render(messages, addGenerationPrompt: false, _context);
        int completionStart = chat.AssistantSpans.Count > 0 ? chat.AssistantSpans[0].Start : chat.Text.Length;
        var assistant = messages.Where(m => m.Role == ChatMessage.AssistantRole).ToArray();
        return FromRendered(chat, completionStart, assistant.Length == 0 || assistant.All(m => m.Content.Length == 0));
    }

    /// <summary>
    /// A conversational prompt and its assistant continuation: the prompt is what the template renders
    /// with add_generation_prompt = true (as at generation time), the completion is the rest of the whole
    /// conversation's rendering; the loss is on the assistant spans within the completion.
    /// </summary>
    public TokenizedSequence TokenizeConversation(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<ChatMessage> completion)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        IChatTemplate template = RequireTemplate();
        RenderedChat promptChat = template.Render(prompt, addGenerationPrompt: true, _context);
        if (completion.Count == 0)
            return FromRendered(new RenderedChat(promptChat.Text, []), promptChat.Text.Length, completionWasEmpty: true);
        RenderedChat full = template.Render([.. prompt, .. completion], addGenerationPrompt: false, _context);
        if (!full.Text.StartsWith(promptChat.Text, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"chat template '{template.Name}' renders the conversation so that it does not start with the prompt as rendered for generation, " +
                "so prompt and completion cannot be split consistently");
        return FromRendered(full, promptChat.Text.Length, completion.All(m => m.Content.Length == 0));
    }

    IChatTemplate RequireTemplate() => _template ?? throw new InvalidDataException(
        "the row holds chat messages, but no chat template was given (the tokenizer's chat_template, or --chat-template NAME)");

    /// <summary>Encodes <paramref name="chat"/> segment by segment, cut at every span edge and at the completion start.</summary>
    TokenizedSequence FromRendered(RenderedChat chat, int completionStart, bool completionWasEmpty)
    {
        string text = chat.Text;
        var cuts = new SortedSet<int> { 0, text.Length, completionStart };
        foreach (CharSpan span in chat.AssistantSpans)
        {
            cuts.Add(span.Start);
            cuts.Add(span.End);
        }
        var ids = new List<int>();
        var mask = new List<bool>();
        int promptLength = 0;
        int[] edges = cuts.ToArray();
        for (int i = 0; i + 1 < edges.Length; i++)
        {
            int start = edges[i], end = edges[i + 1];
            IReadOnlyList<int> piece = _tokenizer.Encode(text[start..end], addSpecialTokens: false);
            bool inLoss = start >= completionStart && chat.AssistantSpans.Any(s => s.Start <= start && end <= s.End);
            ids.AddRange(piece);
            mask.AddRange(Enumerable.Repeat(inLoss, piece.Count));
            if (end <= completionStart) promptLength += piece.Count;
        }
        string decoded = _tokenizer.Decode(ids, skipSpecialTokens: false);
        if (decoded != text)
            throw new InvalidDataException(
                "the tokenizer does not decode the chat, encoded piecewise at the assistant-turn boundaries, back to the rendered text " +
                $"(first difference at character {FirstDifference(decoded, text)}), so token positions cannot be trusted for the loss mask");
        return new TokenizedSequence(ids.ToArray(), mask.ToArray(), promptLength, completionWasEmpty);
    }

    static int FirstDifference(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }
}

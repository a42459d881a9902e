using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>
/// The one tokenisation path from dataset rows to training sequences, shared by every objective
/// (DESIGN.md pitfall 3).
/// Plain text: the prompt is encoded with the tokenizer's special tokens (its BOS, if it adds one),
/// the completion without, and EOS is appended to the completion unless it already ends with it
/// (so models learn to stop, pitfall 5).
/// Conversations: the chat template renders the text (BOS included), which is encoded once, without special
/// tokens, with offsets, exactly as the model sees it at inference; the loss mask comes from the offsets
/// by transformers' rule (<see cref="AssistantTokenMask"/>: from the token holding a span's first character
/// to the token holding its last, so a token straddling a span edge is trained on). The ids must equal the
/// tokenizer's plain encoding of the rendered text, with sane offsets, or the row is an error.
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
        var assistant = messages.Where(m => m.Role == ChatMessage.AssistantRole).ToArray();
        bool completionWasEmpty = assistant.Length == 0 || assistant.All(m => m.Content.Length == 0);
        TokenEncoding encoding = EncodeWhole(chat.Text);
        bool[] mask = AssistantTokenMask.Build(encoding.Offsets, chat.AssistantSpans);
        int firstTrained = Array.IndexOf(mask, true);
        return new TokenizedSequence(encoding.Ids.ToArray(), mask, firstTrained < 0 ? mask.Length : firstTrained, completionWasEmpty);
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
        string promptText = template.Render(prompt, addGenerationPrompt: true, _context).Text;
        int[] promptIds = [.. _tokenizer.Encode(promptText, addSpecialTokens: false)];
        if (completion.Count == 0)
            return new TokenizedSequence(promptIds, new bool[promptIds.Length], promptIds.Length, CompletionWasEmpty: true);
        RenderedChat full = template.Render([.. prompt, .. completion], addGenerationPrompt: false, _context);
        if (!full.Text.StartsWith(promptText, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"chat template '{template.Name}' renders the conversation so that it does not start with the prompt as rendered for generation, " +
                "so prompt and completion cannot be split consistently");
        return FromPromptAndCompletion(full, promptText.Length, promptIds, completion.All(m => m.Content.Length == 0));
    }

    IChatTemplate RequireTemplate() => _template ?? throw new InvalidDataException(
        "the row holds chat messages, but no chat template was given (the tokenizer's chat_template, or --chat-template NAME)");

    /// <summary>
    /// The prompt/completion boundary, as TRL's DPO tokenisation and as generation: at generation the prompt is
    /// encoded alone and the model continues from its last token, so the prompt's ids here are its encoding
    /// alone and the completion's tokens start at <paramref name="completionStart"/>. When the whole text's
    /// encoding already starts with those ids (the usual case; for SentencePiece it must be, as a separate
    /// encoding of the completion would gain a dummy-prefix "▁"), the ids are the whole text's encoding, as TRL's
    /// SFT uses. When a token straddles the boundary (byte-level BPE gluing the header's "\n" to a completion
    /// that starts with "\n"), the whole encoding is a tokenisation generation never produces, so the completion
    /// is encoded on its own after the prompt's ids; those ids must then spell what the whole encoding spells.
    /// </summary>
    TokenizedSequence FromPromptAndCompletion(RenderedChat full, int completionStart, int[] promptIds, bool completionWasEmpty)
    {
        // Only the spans of the completion train; a span is never cut by the prompt in practice, clipped if it were.
        var spans = full.AssistantSpans
            .Where(s => s.End > completionStart)
            .Select(s => s.Start >= completionStart ? s : new CharSpan(completionStart, s.End - completionStart))
            .ToArray();
        TokenEncoding whole = EncodeWhole(full.Text);
        int[] ids;
        bool[] mask;
        if (whole.Ids.Count >= promptIds.Length && whole.Ids.Take(promptIds.Length).SequenceEqual(promptIds))
        {
            ids = [.. whole.Ids];
            mask = AssistantTokenMask.Build(whole.Offsets, spans);
        }
        else
        {
            TokenEncoding rest = _tokenizer.EncodeWithOffsets(full.Text[completionStart..], addSpecialTokens: false);
            ids = [.. promptIds, .. rest.Ids];
            mask = [.. new bool[promptIds.Length],
                .. AssistantTokenMask.Build(rest.Offsets, spans.Select(s => new CharSpan(s.Start - completionStart, s.Length)))];
            // A tokenizer that prepends "▁" to every text would add one here: the split must not change the text.
            string split = _tokenizer.Decode(ids, skipSpecialTokens: false), joined = _tokenizer.Decode(whole.Ids, skipSpecialTokens: false);
            if (split != joined)
                throw new InvalidDataException(
                    "the completion, encoded after the prompt as at generation, does not decode to the same text as the whole conversation's encoding " +
                    $"(first difference at character {FirstDifference(split, joined)}), so prompt and completion cannot be split consistently");
        }
        for (int i = 0; i < promptIds.Length; i++) mask[i] = false;
        return new TokenizedSequence(ids, mask, promptIds.Length, completionWasEmpty);
    }

    /// <summary>
    /// The text's encoding with offsets, checked against the tokenizer's plain encoding (the ids the model sees
    /// at inference) and for offsets a mask can rely on: one per id, inside the text, never going backwards.
    /// </summary>
    TokenEncoding EncodeWhole(string text)
    {
        TokenEncoding encoding = _tokenizer.EncodeWithOffsets(text, addSpecialTokens: false);
        if (!encoding.Ids.SequenceEqual(_tokenizer.Encode(text, addSpecialTokens: false)))
            throw new InvalidDataException(
                "the tokenizer's encoding with offsets differs from its plain encoding of the rendered chat, so the loss mask cannot be trusted");
        if (encoding.Offsets.Count != encoding.Ids.Count)
            throw new InvalidDataException($"the tokenizer returned {encoding.Offsets.Count} offsets for {encoding.Ids.Count} token ids of the rendered chat");
        TokenOffset previous = new(0, 0);
        foreach (TokenOffset offset in encoding.Offsets)
        {
            if (offset.Start < previous.Start || offset.End < previous.End || offset.End < offset.Start || offset.End > text.Length)
                throw new InvalidDataException(
                    $"the tokenizer's offsets for the rendered chat are not monotonic within the text (token at [{offset.Start}, {offset.End}) " +
                    $"after [{previous.Start}, {previous.End})), so the loss mask cannot be trusted");
            previous = offset;
        }
        return encoding;
    }

    static int FirstDifference(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }
}

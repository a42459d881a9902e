using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

/// <summary>
/// Conversations are encoded once, as at inference, and the loss mask comes from the token offsets
/// (transformers' return_assistant_tokens_mask rule), for SentencePiece (Llama 2, Mistral) and byte-level
/// (ChatML) tokenizers alike.
/// </summary>
public sealed class ChatOffsetMaskTests(RealTokenizers tokenizers) : IClassFixture<RealTokenizers>
{
    // Three assistant turns, the second starting with a newline.
    static readonly ChatMessage[] Conversation =
    [
        ChatMessage.User("Hi"), ChatMessage.Assistant("Hello there."),
        ChatMessage.User("And a list?"), ChatMessage.Assistant("\n- one\n- two"),
        ChatMessage.User("Thanks"), ChatMessage.Assistant("You're welcome! 😀"),
    ];

    public static TheoryData<string, string> Pairs => new()
    {
        { "llama2-spm", "llama2" }, { "mistral", "llama2" }, { "mistral", "mistral-v1" }, { "mistral", "mistral-v3" },
        { "qwen3", "chatml" }, { "qwen3", "qwen2.5" }, { "llama3", "llama3.1" }, { "gpt2", "chatml" },
    };

    (ITokenizer Tokenizer, IChatTemplate Template, DatasetTokenizer Dataset) Load(string family, string template)
    {
        ITokenizer tokenizer = tokenizers.Load(family).Tokenizer;
        IChatTemplate chat = ChatTemplateRegistry.ByName(template);
        return (tokenizer, chat, new DatasetTokenizer(tokenizer, chat));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void MultiTurnIdsAreTheWholeRenderedTextsEncoding(string family, string template)
    {
        var (tokenizer, chat, dataset) = Load(family, template);
        TokenizedSequence sequence = dataset.Tokenize(new ConversationRow(new RowSource("chat.jsonl", 1), Conversation)) is TokenizedExample e
            ? e.Sequence : throw new InvalidOperationException();
        string rendered = chat.Render(Conversation, addGenerationPrompt: false, ChatTemplateContext.For(tokenizer)).Text;
        Assert.Equal(tokenizer.Encode(rendered, addSpecialTokens: false), sequence.InputIds);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void MaskedTokensSpellEachAssistantSpanFromItsFirstToItsLastCharacter(string family, string template)
    {
        var (tokenizer, chat, dataset) = Load(family, template);
        RenderedChat rendered = chat.Render(Conversation, addGenerationPrompt: false, ChatTemplateContext.For(tokenizer));
        TokenizedSequence sequence = dataset.TokenizeConversation(Conversation);
        TokenEncoding encoding = tokenizer.EncodeWithOffsets(rendered.Text, addSpecialTokens: false);

        var runs = MaskedRuns(sequence.LossMask);
        Assert.Equal(3, rendered.AssistantSpans.Count);
        Assert.Equal(rendered.AssistantSpans.Count, runs.Count);
        for (int s = 0; s < runs.Count; s++)
        {
            CharSpan span = rendered.AssistantSpans[s];
            var (first, last) = runs[s];
            // The run's characters hold the whole span, and anything more is only whitespace a token glued to it.
            int start = encoding.Offsets[first].Start, end = encoding.Offsets[last].End;
            Assert.True(start <= span.Start && end == span.End, $"span {s} [{span.Start}, {span.End}) trained as [{start}, {end})");
            Assert.True(string.IsNullOrWhiteSpace(rendered.Text[start..span.Start]), $"span {s} trains '{rendered.Text[start..span.Start]}' before it");
            // Decoding the trained tokens gives those characters (a SentencePiece decoder drops the run's leading space).
            string decoded = tokenizer.Decode(sequence.InputIds.Skip(first).Take(last - first + 1), skipSpecialTokens: false);
            Assert.Equal(rendered.Text[start..end].TrimStart(' '), decoded.TrimStart(' '));
            Assert.EndsWith(rendered.AssistantText(s), rendered.Text[start..end], StringComparison.Ordinal);
        }
        Assert.Equal(runs[0].First, sequence.PromptLength);
    }

    [Fact]
    public void Llama2MultiTurnRowThatPiecewiseEncodingRefusedNowTrainsOnEachAnswer()
    {
        var (tokenizer, _, dataset) = Load("llama2-spm", "llama2");
        var row = new ConversationRow(new RowSource("chat.jsonl", 12), Conversation);
        TokenizedSequence sequence = ((TokenizedExample)dataset.Tokenize(row)).Sequence;

        // Each run starts with the "▁Hello"-style token that glues the separator space to the answer; the
        // decoder drops that leading space, so each run decodes to exactly the template's span.
        Assert.Equal(["Hello there. </s>", "- one\n- two </s>", "You're welcome! 😀 </s>"], Runs(tokenizer, sequence));
        Assert.Equal("<s>[INST] Hi [/INST]", tokenizer.Decode(sequence.PromptIds, skipSpecialTokens: false));
    }

    [Fact]
    public void ChatMlAnswerStartingWithANewlineTrainsTheNewlineTokenItShares()
    {
        var (tokenizer, chat, dataset) = Load("qwen3", "chatml");
        RenderedChat rendered = chat.Render(Conversation, addGenerationPrompt: false, ChatTemplateContext.For(tokenizer));
        Assert.Equal("\n- one\n- two<|im_end|>", rendered.AssistantText(1));

        TokenizedSequence sequence = dataset.TokenizeConversation(Conversation);

        // Qwen's pre-tokenizer makes "\n\n" one token: the header's newline and the answer's. Under transformers'
        // rule the token holding the span's first character is trained, so the header's newline comes with it.
        Assert.Equal(["Hello there.<|im_end|>", "\n\n- one\n- two<|im_end|>", "You're welcome! 😀<|im_end|>"], Runs(tokenizer, sequence));
    }

    [Fact]
    public void SentencePiecePromptAndCompletionIsTheWholeEncodingSplitAfterThePrompt()
    {
        var (tokenizer, chat, dataset) = Load("llama2-spm", "llama2");
        ChatMessage[] prompt = [ChatMessage.User("Hi")], completion = [ChatMessage.Assistant("Hello there.")];
        TokenizedSequence sequence = dataset.Tokenize(RowContent.FromMessages(prompt), RowContent.FromMessages(completion));

        ChatTemplateContext context = ChatTemplateContext.For(tokenizer);
        string promptText = chat.Render(prompt, addGenerationPrompt: true, context).Text;
        string fullText = chat.Render([.. prompt, .. completion], addGenerationPrompt: false, context).Text;
        Assert.Equal(tokenizer.Encode(fullText, addSpecialTokens: false), sequence.InputIds);
        Assert.Equal(tokenizer.Encode(promptText, addSpecialTokens: false), sequence.PromptIds);
        Assert.Equal("Hello there. </s>", tokenizer.Decode(sequence.LossIds, skipSpecialTokens: false));
    }

    [Fact]
    public void ChatMlCompletionStartingWithANewlineFollowsThePromptAsEncodedForGeneration()
    {
        var (tokenizer, chat, dataset) = Load("qwen3", "chatml");
        ChatMessage[] prompt = [ChatMessage.User("A list?")], completion = [ChatMessage.Assistant("\n- one")];
        TokenizedSequence sequence = dataset.Tokenize(RowContent.FromMessages(prompt), RowContent.FromMessages(completion));

        ChatTemplateContext context = ChatTemplateContext.For(tokenizer);
        string promptText = chat.Render(prompt, addGenerationPrompt: true, context).Text;
        string fullText = chat.Render([.. prompt, .. completion], addGenerationPrompt: false, context).Text;
        // Generation sees the prompt encoded alone (ending in its own "\n" token); the whole text's "\n\n"
        // token would straddle the boundary, so the completion is encoded after the prompt instead.
        Assert.Equal(tokenizer.Encode(promptText, addSpecialTokens: false), sequence.PromptIds);
        Assert.NotEqual(tokenizer.Encode(fullText, addSpecialTokens: false), sequence.InputIds);
        Assert.Equal(fullText, tokenizer.Decode(sequence.InputIds, skipSpecialTokens: false));
        Assert.Equal("\n- one<|im_end|>", tokenizer.Decode(sequence.LossIds, skipSpecialTokens: false));
    }

    [Fact]
    public void SentencePiecePreferenceRowWithMessagesTokenises()
    {
        var (tokenizer, _, dataset) = Load("mistral", "llama2");
        var row = new PreferenceRow(new RowSource("pairs.jsonl", 3),
            RowContent.FromMessages([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), ChatMessage.User("Colour?")]),
            RowContent.FromMessages([ChatMessage.Assistant("Blue.")]), RowContent.FromMessages([ChatMessage.Assistant("Loud.")]));
        var pair = (TokenizedPair)dataset.Tokenize(row);
        Assert.Equal("Blue. </s>", tokenizer.Decode(pair.Chosen.LossIds, skipSpecialTokens: false));
        Assert.Equal("Loud. </s>", tokenizer.Decode(pair.Rejected.LossIds, skipSpecialTokens: false));
        Assert.Equal(pair.Chosen.PromptIds, pair.Rejected.PromptIds);
    }

    [Fact]
    public void OffsetsAMaskCannotRelyOnAreAnErrorNamingTheRow()
    {
        var dataset = new DatasetTokenizer(new BackwardOffsetsTokenizer(), ChatTemplateRegistry.ByName("chatml"));
        var row = new ConversationRow(new RowSource("chat.jsonl", 7), Conversation);
        var error = Assert.Throws<DataFormatException>(() => dataset.Tokenize(row));
        Assert.StartsWith("chat.jsonl:7: the tokenizer's offsets for the rendered chat are not monotonic", error.Message);
    }

    static List<string> Runs(ITokenizer tokenizer, TokenizedSequence sequence) =>
        MaskedRuns(sequence.LossMask)
            .Select(r => tokenizer.Decode(sequence.InputIds.Skip(r.First).Take(r.Last - r.First + 1), skipSpecialTokens: false))
            .ToList();

    static List<(int First, int Last)> MaskedRuns(IReadOnlyList<bool> mask)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < mask.Count; i++)
        {
            if (!mask[i]) continue;
            int first = i;
            while (i + 1 < mask.Count && mask[i + 1]) i++;
            runs.Add((first, i));
        }
        return runs;
    }
}

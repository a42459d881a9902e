using AlignSharp.Text.ChatTemplates;
using Templates = AlignSharp.Text.ChatTemplates.ChatTemplateRegistry;

namespace AlignSharp.Tests.Text.ChatTemplates;

/// <summary>The exact characters each renderer marks as assistant output (content + end-of-turn marker).</summary>
public class AssistantSpanTests
{
    private static readonly ChatMessage[] Conversation =
    [
        ChatMessage.System("Sys"),
        ChatMessage.User("Q1"),
        ChatMessage.Assistant(" A1 "),
        ChatMessage.User("Q2"),
        ChatMessage.Assistant("A2"),
    ];

    private static readonly ChatTemplateContext SentencePiece = new("<s>", "</s>");
    private static readonly ChatTemplateContext Llama3 = new("<|begin_of_text|>", "<|eot_id|>");

    [Theory]
    [InlineData("chatml", " A1 <|im_end|>", "A2<|im_end|>")]
    [InlineData("qwen2.5", " A1 <|im_end|>", "A2<|im_end|>")]
    [InlineData("llama3", "A1<|eot_id|>", "A2<|eot_id|>")]
    [InlineData("llama3.1", "A1<|eot_id|>", "A2<|eot_id|>")]
    [InlineData("llama2", "A1 </s>", "A2 </s>")]
    [InlineData("mistral-v1", " A1 </s>", "A2</s>")]
    [InlineData("mistral-v3", " A1 </s>", "A2</s>")]
    [InlineData("mistral-v3-tekken", " A1 </s>", "A2</s>")]
    [InlineData("zephyr", " A1 </s>", "A2</s>")]
    public void SpansHoldTheContentAsWrittenAndTheEndOfTurnMarker(string name, string first, string second)
    {
        ChatTemplateContext context = name.StartsWith("llama3", StringComparison.Ordinal) ? Llama3 : SentencePiece;
        // Mistral v3 refuses a system message in a conversation ending with the assistant (it would drop it).
        ChatMessage[] conversation = name.StartsWith("mistral-v3", StringComparison.Ordinal) ? Conversation[1..] : Conversation;
        RenderedChat rendered = Templates.ByName(name).Render(conversation, addGenerationPrompt: false, context);

        Assert.Equal(2, rendered.AssistantSpans.Count);
        Assert.Equal(first, rendered.AssistantText(0));
        Assert.Equal(second, rendered.AssistantText(1));
    }

    [Theory]
    [InlineData("mistral-v3")]
    [InlineData("mistral-v3-tekken")]
    public void MistralV3RefusesToDropTheSystemMessageOfATrainingConversation(string name)
    {
        var error = Assert.Throws<ChatTemplateException>(() => Templates.ByName(name).Render(Conversation, false, SentencePiece));
        Assert.Contains("silently dropped", error.Message);
        // Ending with a user turn, the system message has a place and is kept.
        string text = Templates.ByName(name).RenderText(Conversation[..4], false, SentencePiece);
        Assert.Contains("Sys\n\nQ2", text);
    }

    [Fact]
    public void Llama2SpanStartsAfterTheSeparatorSpaceAndKeepsTheSpaceBeforeEos()
    {
        RenderedChat rendered = Llama2Template.Instance.Render(Conversation, false, SentencePiece);

        Assert.Equal("<s>[INST] <<SYS>>\nSys\n<</SYS>>\n\nQ1 [/INST] A1 </s><s>[INST] Q2 [/INST] A2 </s>", rendered.Text);
        Assert.Equal(new CharSpan(rendered.Text.IndexOf("A1", StringComparison.Ordinal), "A1 </s>".Length), rendered.AssistantSpans[0]);
    }

    [Fact]
    public void Qwen3SpanIncludesTheThinkBlockOfTheFinalTurnButHistoryLosesIt()
    {
        ChatMessage[] messages =
        [
            ChatMessage.User("Q1"),
            ChatMessage.Assistant("<think>\nold\n</think>\n\nA1"),
            ChatMessage.User("Q2"),
            ChatMessage.Assistant("<think>new</think>A2"),
        ];
        RenderedChat rendered = Qwen3Template.Instance.Render(messages, false, new ChatTemplateContext(null, "<|im_end|>"));

        Assert.Equal("A1<|im_end|>", rendered.AssistantText(0));
        Assert.Equal("<think>\nnew\n</think>\n\nA2<|im_end|>", rendered.AssistantText(1));
        Assert.DoesNotContain("old", rendered.Text);
    }

    [Fact]
    public void GenerationPromptAddsNoSpan()
    {
        RenderedChat rendered = ChatMlTemplate.Plain.Render([ChatMessage.User("Hi")], true, new ChatTemplateContext(null, null));

        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", rendered.Text);
        Assert.Empty(rendered.AssistantSpans);
    }
}

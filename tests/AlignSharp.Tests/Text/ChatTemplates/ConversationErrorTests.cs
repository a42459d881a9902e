using System.Globalization;
using AlignSharp.Text.ChatTemplates;
using Templates = AlignSharp.Text.ChatTemplates.ChatTemplateRegistry;

namespace AlignSharp.Tests.Text.ChatTemplates;

public class ConversationErrorTests
{
    private static readonly ChatTemplateContext SentencePiece = new("<s>", "</s>");

    [Theory]
    [InlineData("llama2")]
    [InlineData("mistral-v1")]
    [InlineData("mistral-v3")]
    [InlineData("mistral-v3-tekken")]
    public void AlternatingTemplatesNameTheMessageOutOfOrder(string name)
    {
        ChatMessage[] messages = [ChatMessage.System("s"), ChatMessage.User("a"), ChatMessage.Assistant("b"), ChatMessage.Assistant("c")];
        var error = Assert.Throws<ChatRoleOrderException>(() => Templates.ByName(name).Render(messages, true, SentencePiece));
        Assert.Contains("message 3 is 'assistant' where 'user' was expected", error.Message);
        Assert.Contains(name, error.Message);
    }

    [Theory]
    [InlineData("chatml")]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    [InlineData("zephyr")]
    public void UnsupportedRolesAreRejectedNotDropped(string name)
    {
        ChatMessage[] messages = [ChatMessage.User("a"), new ChatMessage("tool", "{}")];
        var error = Assert.Throws<ChatRoleOrderException>(() => Templates.ByName(name).Render(messages, true, new ChatTemplateContext("<s>", "</s>")));
        Assert.Contains("message 1 has role 'tool'", error.Message);
    }

    [Fact]
    public void EmptyConversationIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ChatMlTemplate.Plain.Render([], true, SentencePiece));
    }

    [Fact]
    public void TemplatesWritingBosOrEosNeedThem()
    {
        ChatMessage[] messages = [ChatMessage.User("a"), ChatMessage.Assistant("b")];
        var noBos = Assert.Throws<ChatTemplateException>(() => Llama3Template.Instance.Render(messages, false, new ChatTemplateContext(null, "<|eot_id|>")));
        Assert.Contains("BOS", noBos.Message);
        var noEos = Assert.Throws<ChatTemplateException>(() => ZephyrTemplate.Instance.Render(messages, false, new ChatTemplateContext(null, null)));
        Assert.Contains("EOS", noEos.Message);
    }

    [Fact]
    public void Llama32DateDefaultsToTodayAnd31ToItsFixedDate()
    {
        ChatMessage[] messages = [ChatMessage.User("a")];
        var context = new ChatTemplateContext("<|begin_of_text|>", "<|eot_id|>");
        string today = DateTime.Now.ToString("dd MMM yyyy", CultureInfo.InvariantCulture);

        Assert.Contains($"Today Date: {today}\n", Llama31Template.Llama32.RenderText(messages, false, context));
        Assert.Contains("Today Date: 26 Jul 2024\n", Llama31Template.Llama31.RenderText(messages, false, context));
        Assert.Contains("Today Date: 01 Jan 2030\n", Llama31Template.Llama32.RenderText(messages, false, context with { DateString = "01 Jan 2030" }));
    }
}

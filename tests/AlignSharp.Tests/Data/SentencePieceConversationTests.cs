using AlignSharp.Data;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

/// <summary>
/// SentencePiece-style tokenizers put "▁" in front of every piece encoded on its own, so a chat encoded
/// piecewise no longer decodes to the rendered text: that must be a loud error naming the row, never a
/// silently shifted loss mask.
/// </summary>
public sealed class SentencePieceConversationTests(RealTokenizers tokenizers) : IClassFixture<RealTokenizers>
{
    [Fact]
    public void PiecewiseIdsThatDoNotDecodeBackAreAnErrorNamingTheRow()
    {
        var tokenizer = new DatasetTokenizer(tokenizers.Load("llama2-spm").Tokenizer, ChatTemplateRegistry.ByName("llama2"));
        var row = new ConversationRow(new RowSource("chat.jsonl", 12), [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello there.")]);
        var error = Assert.Throws<DataFormatException>(() => tokenizer.Tokenize(row));
        Assert.StartsWith("chat.jsonl:12: the tokenizer does not decode the chat", error.Message);
    }
}

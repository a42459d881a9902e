using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

public sealed class ExampleRendererTests
{
    readonly ByteTokenizer _bytes = new();

    [Fact]
    public void ShowsTheDecodedSequenceWithTheTrainedPartMarked()
    {
        var tokenizer = new DatasetTokenizer(_bytes, ChatTemplateRegistry.ByName("chatml"));
        TokenizedSequence sequence = tokenizer.TokenizeConversation([ChatMessage.User("hi"), ChatMessage.Assistant("yo")]);
        string shown = ExampleRenderer.Describe(sequence, _bytes);
        Assert.Equal(
            "25 tokens: prompt 21, completion 4, in the loss 3 (trained tokens between ⟦ and ⟧)\n" +
            "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n⟦yo<|im_end|>⟧\n",
            shown);
    }

    [Fact]
    public void PlainTextShowsTheBosAndTheEosInTheLossAndTruncation()
    {
        TokenizedSequence sequence = new DatasetTokenizer(_bytes).TokenizeText("abc", "d");
        TokenizedSequence cut = SequenceTruncator.Truncate(sequence, new TruncationOptions(MaxPromptLength: 2));
        var row = new TokenizedExample(new RowSource("x.jsonl", 5), cut);
        Assert.Equal(
            "x.jsonl:5: 4 tokens: prompt 2, completion 2, in the loss 2; 2 prompt tokens cut from the left (trained tokens between ⟦ and ⟧)\n" +
            "bc⟦d<|eos|>⟧",
            ExampleRenderer.Describe(row, _bytes));
    }
}

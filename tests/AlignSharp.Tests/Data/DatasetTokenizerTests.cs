using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

public sealed class DatasetTokenizerTests
{
    // ByteTokenizer ids: bytes 0..255, then <|pad|> 256, <|bos|> 257, <|eos|> 258, <|im_start|> 259, <|im_end|> 260.
    const int Bos = 257, Eos = 258, ImStart = 259, ImEnd = 260;
    static readonly RowSource Here = new("t.jsonl", 4);
    readonly ByteTokenizer _bytes = new();

    [Fact]
    public void PlainTextPromptGetsBosAndCompletionGetsEosInTheLoss()
    {
        TokenizedSequence sequence = new DatasetTokenizer(_bytes).TokenizeText("ab", "c");
        Assert.Equal([Bos, 'a', 'b', 'c', Eos], sequence.InputIds);
        Assert.Equal([false, false, false, true, true], sequence.LossMask);
        Assert.Equal(3, sequence.PromptLength);
        Assert.Equal([Bos, 'a', 'b'], sequence.PromptIds);
        Assert.Equal(['c', Eos], sequence.CompletionIds);
        Assert.False(sequence.CompletionWasEmpty);
    }

    [Fact]
    public void EosIsAppendedOnlyOnce()
    {
        TokenizedSequence sequence = new DatasetTokenizer(_bytes).TokenizeText("a", "b" + ByteTokenizer.Eos);
        Assert.Equal([Bos, 'a', 'b', Eos], sequence.InputIds);
        Assert.Single(sequence.InputIds, id => id == Eos);
    }

    [Fact]
    public void AnEosTheTokenizerAppendsToThePromptIsDropped()
    {
        TokenizedSequence sequence = new DatasetTokenizer(new EosAppendingTokenizer()).TokenizeText("ab", "c");
        Assert.Equal([Bos, 'a', 'b', 'c', Eos], sequence.InputIds);
        Assert.Equal(3, sequence.PromptLength);
    }

    [Fact]
    public void EmptyCompletionIsFlaggedAndStillEndsWithEos()
    {
        TokenizedSequence sequence = new DatasetTokenizer(_bytes).TokenizeText("a", "");
        Assert.Equal([Bos, 'a', Eos], sequence.InputIds);
        Assert.True(sequence.CompletionWasEmpty);
    }

    [Fact]
    public void MessagesMaskExactlyTheAssistantTurnsWithTheByteTokenizer()
    {
        var tokenizer = new DatasetTokenizer(_bytes, ChatTemplateRegistry.ByName("chatml"));
        var row = new ConversationRow(Here, [ChatMessage.User("hi"), ChatMessage.Assistant("yo"), ChatMessage.User("q"), ChatMessage.Assistant("ok")]);
        TokenizedSequence sequence = Assert.IsType<TokenizedExample>(tokenizer.Tokenize(row)).Sequence;

        // "<|im_start|>" "user\nhi" "<|im_end|>" "\n" "<|im_start|>" "assistant\n" = 1 + 7 + 1 + 1 + 1 + 10 tokens before "yo".
        Assert.Equal(21, sequence.PromptLength);
        Assert.Equal(['y', 'o', ImEnd, 'o', 'k', ImEnd], sequence.LossIds);
        Assert.Equal("yo<|im_end|>ok<|im_end|>", _bytes.Decode(sequence.LossIds, skipSpecialTokens: false));
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\nok<|im_end|>\n",
            _bytes.Decode(sequence.InputIds, skipSpecialTokens: false));
        Assert.Equal(ImStart, sequence.InputIds[0]); // ChatML writes no BOS, and none is added
    }

    [Fact]
    public void ConversationalPreferenceSplitsAtTheGenerationPrompt()
    {
        var tokenizer = new DatasetTokenizer(_bytes, ChatTemplateRegistry.ByName("chatml"));
        var row = new PreferenceRow(Here,
            RowContent.FromMessages([ChatMessage.User("Q")]),
            RowContent.FromMessages([ChatMessage.Assistant("good")]),
            RowContent.FromMessages([ChatMessage.Assistant("bad")]));
        var pair = Assert.IsType<TokenizedPair>(tokenizer.Tokenize(row));
        string prompt = "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(prompt, _bytes.Decode(pair.Chosen.PromptIds, false));
        Assert.Equal(pair.Chosen.PromptIds, pair.Rejected.PromptIds);
        Assert.Equal("good<|im_end|>\n", _bytes.Decode(pair.Chosen.CompletionIds, false));
        Assert.Equal("good<|im_end|>", _bytes.Decode(pair.Chosen.LossIds, false)); // the newline after the marker is not generated
        Assert.Equal("bad<|im_end|>", _bytes.Decode(pair.Rejected.LossIds, false));
    }

    [Fact]
    public void PlainTextPreferenceSharesThePromptIds()
    {
        var row = new PreferenceRow(Here, RowContent.FromText("Q"), RowContent.FromText("y"), RowContent.FromText("n"));
        var pair = Assert.IsType<TokenizedPair>(new DatasetTokenizer(_bytes).Tokenize(row));
        Assert.Equal([Bos, 'Q', 'y', Eos], pair.Chosen.InputIds);
        Assert.Equal([Bos, 'Q', 'n', Eos], pair.Rejected.InputIds);
    }

    [Fact]
    public void ConversationalRowsWithoutATemplateNameTheRow()
    {
        var row = new ConversationRow(Here, [ChatMessage.User("hi"), ChatMessage.Assistant("yo")]);
        var error = Assert.Throws<DataFormatException>(() => new DatasetTokenizer(_bytes).Tokenize(row));
        Assert.StartsWith("t.jsonl:4: ", error.Message);
        Assert.Contains("no chat template", error.Message);
    }

    [Fact]
    public void TemplateRoleErrorsNameTheRowAndCanBeSkipped()
    {
        var bad = new ConversationRow(new RowSource("t.jsonl", 2), [ChatMessage.User("hi"), new ChatMessage("tool", "x")]);
        var good = new ConversationRow(new RowSource("t.jsonl", 3), [ChatMessage.User("hi"), ChatMessage.Assistant("yo")]);
        var tokenizer = new DatasetTokenizer(_bytes, ChatTemplateRegistry.ByName("chatml"));
        Assert.StartsWith("t.jsonl:2: ", Assert.Throws<DataFormatException>(() => tokenizer.TokenizeAll([bad, good])).Message);
        TokenizationResult result = tokenizer.TokenizeAll([bad, good], skipInvalid: true);
        Assert.Equal(3, Assert.Single(result.Rows).Source.Line);
        Assert.Equal(2, Assert.Single(result.Skipped).Source.Line);
    }
}

using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

/// <summary>The loss mask with a real tokenizer.json and its chat template (Qwen3).</summary>
public sealed class Qwen3TokenizationTests(RealTokenizers tokenizers) : IClassFixture<RealTokenizers>
{
    readonly LoadedTokenizer _loaded = tokenizers.Load("qwen3");
    readonly ITokenizer _tokenizer = tokenizers.Load("qwen3").Tokenizer;

    DatasetTokenizer Tokenizer() =>
        new(_tokenizer, ChatTemplateRegistry.Resolve(_loaded.Settings.ChatTemplate, overrideName: null));

    [Fact]
    public void TheTokenizersOwnTemplateIsRecognisedAsQwen3()
    {
        Assert.Equal("qwen3", ChatTemplateRegistry.Resolve(_loaded.Settings.ChatTemplate, null).Name);
        Assert.Null(_tokenizer.BosTokenId); // Qwen adds no BOS
    }

    [Fact]
    public void LossMaskCoversExactlyTheAssistantTurns()
    {
        var messages = new[]
        {
            ChatMessage.System("Be brief."), ChatMessage.User("Hi there"), ChatMessage.Assistant("Hello! How can I help?"),
            ChatMessage.User("What is 2+2?"), ChatMessage.Assistant("4"),
        };
        TokenizedSequence sequence = Tokenizer().TokenizeConversation(messages);

        // Earlier assistant turns lose their think block; the last one gets an empty one (Qwen3's template).
        Assert.Equal("Hello! How can I help?<|im_end|><think>\n\n</think>\n\n4<|im_end|>", _tokenizer.Decode(sequence.LossIds, skipSpecialTokens: false));
        int imEnd = _tokenizer.TokenToId("<|im_end|>")!.Value;
        Assert.Equal(2, sequence.LossIds.Count(id => id == imEnd));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
            _tokenizer.Decode(sequence.PromptIds, skipSpecialTokens: false));

        // The conversation is encoded once: the ids are the rendered text's own encoding.
        string rendered = Qwen3Template.Instance.Render(messages, false, ChatTemplateContext.For(_tokenizer)).Text;
        Assert.Equal(_tokenizer.Encode(rendered, addSpecialTokens: false), sequence.InputIds);
    }

    [Fact]
    public void ConversationalPromptCompletionTrainsOnTheContinuationOnly()
    {
        TokenizedSequence sequence = Tokenizer().Tokenize(
            RowContent.FromMessages([ChatMessage.User("Name a colour.")]),
            RowContent.FromMessages([ChatMessage.Assistant("Blue.")]));
        Assert.Equal("<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n", _tokenizer.Decode(sequence.PromptIds, false));
        Assert.Equal("<think>\n\n</think>\n\nBlue.<|im_end|>", _tokenizer.Decode(sequence.LossIds, false));
    }

    [Fact]
    public void PlainTextWithoutBosGetsEosOnce()
    {
        TokenizedSequence sequence = Tokenizer().TokenizeText("2+2=", "4");
        int eos = _tokenizer.EosTokenId!.Value;
        Assert.Equal([.. _tokenizer.Encode("2+2=", true), .. _tokenizer.Encode("4", false), eos], sequence.InputIds);
        Assert.Equal("4" + _tokenizer.EosToken, _tokenizer.Decode(sequence.LossIds, false));
    }
}

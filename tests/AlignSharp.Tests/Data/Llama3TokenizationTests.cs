using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

/// <summary>A tokenizer that adds BOS and a template that writes it: the BOS must appear exactly once (DESIGN.md pitfall 3).</summary>
public sealed class Llama3TokenizationTests(RealTokenizers tokenizers) : IClassFixture<RealTokenizers>
{
    readonly LoadedTokenizer _loaded = tokenizers.Load("llama3");
    readonly ITokenizer _tokenizer = tokenizers.Load("llama3").Tokenizer;

    DatasetTokenizer Tokenizer() => new(_tokenizer, ChatTemplateRegistry.Resolve(_loaded.Settings.ChatTemplate, overrideName: null));

    int Bos => _tokenizer.BosTokenId!.Value;

    [Fact]
    public void ConversationsHaveOneBosAndTheLossOnTheAssistantTurn()
    {
        var messages = new[] { ChatMessage.User("Hi"), ChatMessage.Assistant("Hello there.") };
        TokenizedSequence sequence = Tokenizer().TokenizeConversation(messages);

        Assert.Equal(Bos, sequence.InputIds[0]);
        Assert.Single(sequence.InputIds, id => id == Bos);
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            _tokenizer.Decode(sequence.PromptIds, skipSpecialTokens: false));
        Assert.Equal("Hello there.<|eot_id|>", _tokenizer.Decode(sequence.LossIds, skipSpecialTokens: false));

        string rendered = ChatTemplateRegistry.Resolve(_loaded.Settings.ChatTemplate, null).RenderText(messages, false, ChatTemplateContext.For(_tokenizer));
        Assert.Equal(_tokenizer.Encode(rendered, addSpecialTokens: false), sequence.InputIds);
    }

    [Fact]
    public void PlainTextPromptUsesTheTokenizersOwnSpecialsAndTheCompletionEndsWithEos()
    {
        TokenizedSequence sequence = Tokenizer().TokenizeText("The sky is", " blue.");
        // This fixture's post-processor is ByteLevel only (no BOS template), so the prompt gets exactly what Encode(.., true) gives.
        Assert.Equal(_tokenizer.Encode("The sky is", addSpecialTokens: true), sequence.PromptIds);
        Assert.True(sequence.InputIds.Count(id => id == Bos) <= 1);
        Assert.Equal(_tokenizer.EosTokenId, sequence.InputIds[^1]);
        Assert.Equal(" blue.<|end_of_text|>", _tokenizer.Decode(sequence.LossIds, skipSpecialTokens: false));
    }
}

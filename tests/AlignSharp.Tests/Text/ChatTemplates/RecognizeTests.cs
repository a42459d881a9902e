using AlignSharp.Text.ChatTemplates;
using Templates = AlignSharp.Text.ChatTemplates.ChatTemplateRegistry;

namespace AlignSharp.Tests.Text.ChatTemplates;

public class RecognizeTests
{
    private static string Fixture(string file) => File.ReadAllText(Path.Combine(GoldenCase.Folder, file));

    [Theory]
    [InlineData("chatml.jinja", "chatml")]
    [InlineData("qwen1_5.jinja", "qwen1.5")]
    [InlineData("qwen2.jinja", "qwen2")]
    [InlineData("qwen2_5.jinja", "qwen2.5")]
    [InlineData("qwen3.jinja", "qwen3")]
    [InlineData("llama3.jinja", "llama3")]
    [InlineData("llama3_original.jinja", "llama3")]
    [InlineData("llama3_1.jinja", "llama3.1")]
    [InlineData("llama3_2.jinja", "llama3.2")]
    [InlineData("llama2.jinja", "llama2")]
    [InlineData("mistral_v1.jinja", "mistral-v1")]
    [InlineData("mistral_v3.jinja", "mistral-v3")]
    [InlineData("mistral_v3_tekken.jinja", "mistral-v3-tekken")]
    [InlineData("zephyr.jinja", "zephyr")]
    public void RecognizesEachRealTemplate(string file, string expected)
    {
        Assert.Equal(expected, Templates.Recognize(Fixture(file)).Name);
    }

    [Fact]
    public void EveryGoldenTemplateFileIsRecognizedAsTheFamilyItWasRenderedFor()
    {
        foreach (var group in GoldenCase.All.GroupBy(c => c.TemplateFile))
            Assert.Equal(group.First().Family, Templates.Recognize(Fixture(group.Key)).Name);
    }

    [Theory]
    [InlineData("unrecognized/smollm2.jinja")]              // ChatML, other default system message
    [InlineData("unrecognized/nous_hermes2_mixtral.jinja")] // ChatML with BOS in front
    [InlineData("unrecognized/llama_pro.jinja")]            // Zephyr-like, no EOS after user turns
    [InlineData("unrecognized/qwen_0_5b_ollama.jinja")]     // Qwen1.5 default, last turn left open
    [InlineData("unrecognized/mistral_small_24b.jinja")]    // Mistral v7 [SYSTEM_PROMPT]
    [InlineData("unrecognized/gemma2.jinja")]
    public void NearMissesAreRejectedWithTheKnownNamesAndTheOverrideFlag(string file)
    {
        var error = Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.Recognize(Fixture(file)));
        Assert.Contains("--chat-template NAME", error.Message);
        foreach (string name in Templates.KnownNames)
            Assert.Contains(name, error.Message);
    }

    [Fact]
    public void LayoutVariantsAreRecognized()
    {
        string original = Fixture("qwen2.jinja");
        // Same template: whitespace control, other quotes, attribute access, a comment, extra spaces and newlines.
        string variant = original
            .Replace("{%", "{%-").Replace("%}", " -%}\n")
            .Replace("message['role']", "message.role").Replace("message['content']", "message[\"content\"]")
            .Replace("{{ '<|im_start|>assistant\n' }}", "{{- \"<|im_start|>assistant\\n\" }}")
            .Replace("+", "  +  ") + "{# trailing comment #}\n";
        Assert.NotEqual(original, variant);
        Assert.Equal("qwen2", Templates.Recognize(variant).Name);
    }

    [Fact]
    public void AChangedDefaultSystemMessageIsNotMistakenForQwen2()
    {
        string changed = Fixture("qwen2.jinja").Replace("You are a helpful assistant.", "You are a pirate.");
        Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.Recognize(changed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n")]
    public void NoTemplateIsAClearError(string? jinja)
    {
        var error = Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.Recognize(jinja));
        Assert.Contains("no chat_template", error.Message);
        Assert.Contains("--chat-template NAME", error.Message);
    }

    [Fact]
    public void ResolvePrefersTheOverrideAndOtherwiseRecognizes()
    {
        Assert.Equal("zephyr", Templates.Resolve(Fixture("qwen3.jinja"), "zephyr").Name);
        Assert.Equal("qwen3", Templates.Resolve(Fixture("qwen3.jinja"), null).Name);
        Assert.Equal("chatml", Templates.Resolve(null, "ChatML").Name);
        Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.Resolve(null, null));
        Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.Resolve(Fixture("unrecognized/gemma2.jinja"), " "));
    }
}

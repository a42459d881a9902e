using AlignSharp.Text.ChatTemplates;
using Templates = AlignSharp.Text.ChatTemplates.ChatTemplateRegistry;

namespace AlignSharp.Tests.Text.ChatTemplates;

public class ByNameTests
{
    [Theory]
    [InlineData("chatml", "chatml")]
    [InlineData("qwen2", "qwen2")]
    [InlineData("Qwen2_5", "qwen2.5")]
    [InlineData("qwen-2.5", "qwen2.5")]
    [InlineData("qwen3", "qwen3")]
    [InlineData("llama3", "llama3")]
    [InlineData("llama3_1", "llama3.1")]
    [InlineData("LLAMA3.2", "llama3.2")]
    [InlineData("llama2", "llama2")]
    [InlineData("mistral", "mistral-v1")]
    [InlineData("mistral_v3", "mistral-v3")]
    [InlineData("mistral-nemo", "mistral-v3-tekken")]
    [InlineData("zephyr", "zephyr")]
    public void FindsTemplatesByNameIgnoringCaseAndSeparators(string name, string expected)
    {
        Assert.Equal(expected, Templates.ByName(name).Name);
    }

    [Fact]
    public void EveryKnownNameResolves()
    {
        Assert.Equal(15, Templates.KnownNames.Count);
        foreach (string name in Templates.KnownNames)
            Assert.NotNull(Templates.ByName(name));
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ChatTemplateNotRecognizedException>(() => Templates.ByName("gemma"));
        Assert.Contains("'gemma'", error.Message);
        Assert.Contains("llama3.1", error.Message);
        Assert.Contains("mistral-v3-tekken", error.Message);
    }
}

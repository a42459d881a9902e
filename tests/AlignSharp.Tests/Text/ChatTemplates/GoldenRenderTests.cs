using System.Security.Cryptography;
using AlignSharp.Text.ChatTemplates;
using Templates = AlignSharp.Text.ChatTemplates.ChatTemplateRegistry;

namespace AlignSharp.Tests.Text.ChatTemplates;

/// <summary>Each built-in renderer against the real templates rendered by @huggingface/jinja.</summary>
public class GoldenRenderTests
{
    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        foreach (GoldenCase golden in GoldenCase.All) data.Add(golden.Index);
        return data;
    }

    [Fact]
    public void GoldenFileCoversEveryBuiltInRendererWithRendersAndRaises()
    {
        IReadOnlyList<GoldenCase> all = GoldenCase.All;
        Assert.True(all.Count > 400, $"expected the full golden set, found {all.Count} cases");
        var families = all.Select(c => c.Family).ToHashSet();
        foreach (string name in new[] { "chatml", "qwen1.5", "qwen2", "qwen2.5", "qwen3", "llama3", "llama3.1", "llama3.2", "llama2", "mistral-v1", "mistral-v3", "mistral-v3-tekken", "zephyr" })
            Assert.Contains(name, families);
        Assert.Contains(all, c => c.Error is not null);
        Assert.Contains(all, c => c.TemplateDropsSystemMessage); // the refusal below is exercised on real renders
    }

    [Fact]
    public void GoldenFileWasMadeFromTheCommittedTemplates()
    {
        foreach (var group in GoldenCase.All.GroupBy(c => (c.TemplateFile, c.TemplateSha256)))
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(GoldenCase.Folder, group.Key.TemplateFile));
            Assert.Equal(group.Key.TemplateSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void RendererReproducesTheRealTemplate(int index)
    {
        GoldenCase golden = GoldenCase.All[index];
        IChatTemplate template = Templates.ByName(golden.Family);

        if (golden.Error is not null)
        {
            var error = Assert.Throws<ChatRoleOrderException>(() => template.Render(golden.Messages, golden.AddGenerationPrompt, golden.Context));
            Assert.Contains("alternate", error.Message);
            return;
        }
        if (golden.TemplateDropsSystemMessage)
        {
            Assert.DoesNotContain(golden.Messages[0].Content.Trim(), golden.Output!); // the real template did drop it
            var refused = Assert.Throws<ChatTemplateException>(() => template.Render(golden.Messages, golden.AddGenerationPrompt, golden.Context));
            Assert.Contains("silently dropped", refused.Message);
            return;
        }

        RenderedChat rendered = template.Render(golden.Messages, golden.AddGenerationPrompt, golden.Context);
        Assert.Equal(golden.Output, rendered.Text);
        Assert.Equal(golden.Output, template.RenderText(golden.Messages, golden.AddGenerationPrompt, golden.Context));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void EveryAssistantMessageHasOneSpanEndingInItsEndOfTurnMarker(int index)
    {
        GoldenCase golden = GoldenCase.All[index];
        if (golden.Error is not null || golden.TemplateDropsSystemMessage) return; // nothing is rendered
        RenderedChat rendered = Templates.ByName(golden.Family).Render(golden.Messages, golden.AddGenerationPrompt, golden.Context);

        int assistants = golden.Messages.Count(m => m.Role == ChatMessage.AssistantRole);
        Assert.Equal(assistants, rendered.AssistantSpans.Count);
        string endOfTurn = EndOfTurn(golden);
        for (int i = 0; i < rendered.AssistantSpans.Count; i++)
        {
            Assert.EndsWith(endOfTurn, rendered.AssistantText(i));
            if (i > 0) Assert.True(rendered.AssistantSpans[i].Start >= rendered.AssistantSpans[i - 1].End, "spans overlap or are out of order");
        }
    }

    /// <summary>
    /// Where the template has a generation prompt, an assistant span starts exactly where the prompt
    /// for that turn ends: the span is what the model generates, and only that.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void AssistantSpanStartsWhereTheGenerationPromptForThatTurnEnds(int index)
    {
        GoldenCase golden = GoldenCase.All[index];
        if (golden.Error is not null || golden.AddGenerationPrompt) return;
        if (golden.Family is "llama2" or "mistral-v1" or "mistral-v3" or "mistral-v3-tekken") return; // no generation prompt: see the explicit span tests
        IChatTemplate template = Templates.ByName(golden.Family);
        RenderedChat full = template.Render(golden.Messages, addGenerationPrompt: false, golden.Context);

        int spanIndex = 0;
        for (int k = 0; k < golden.Messages.Count; k++)
        {
            if (golden.Messages[k].Role != ChatMessage.AssistantRole) continue;
            CharSpan span = full.AssistantSpans[spanIndex++];
            if (k == 0) continue; // a generation prompt needs at least one message before it
            string prompt = template.RenderText(golden.Messages.Take(k).ToArray(), addGenerationPrompt: true, golden.Context with { EnableThinking = null });
            Assert.Equal(prompt.Length, span.Start);
            Assert.Equal(prompt, full.Text[..span.Start]);
        }
    }

    private static string EndOfTurn(GoldenCase golden) => golden.Family switch
    {
        "chatml" or "qwen1.5" or "qwen2" or "qwen2.5" or "qwen3" => "<|im_end|>",
        "llama3" or "llama3.1" or "llama3.2" => "<|eot_id|>",
        _ => golden.Context.EosToken!,
    };
}

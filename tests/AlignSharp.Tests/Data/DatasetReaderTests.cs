using AlignSharp.Data;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

public sealed class DatasetReaderTests : IDisposable
{
    readonly DataTestFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void PromptCompletionIsDetectedAndExtraColumnsAreIgnored()
    {
        string path = _files.Jsonl("sft.jsonl", """{"id":7,"prompt":"2+2=","completion":"4"}""", "", """{"id":8,"prompt":"1+1=","completion":"2"}""");
        LoadedDataset data = DatasetReader.Read(path);
        Assert.Equal(DatasetFormat.PromptCompletion, data.Format);
        Assert.Equal(
            [new SftRow(new RowSource(path, 1), RowContent.FromText("2+2="), RowContent.FromText("4")),
             new SftRow(new RowSource(path, 3), RowContent.FromText("1+1="), RowContent.FromText("2"))],
            data.Rows);
        Assert.Empty(data.Skipped);
    }

    [Fact]
    public void MessagesAreDetected()
    {
        string path = _files.Jsonl("chat.jsonl", """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}""");
        LoadedDataset data = DatasetReader.Read(path);
        Assert.Equal(DatasetFormat.Messages, data.Format);
        var row = Assert.IsType<ConversationRow>(Assert.Single(data.Rows));
        Assert.Equal([ChatMessage.User("hi"), ChatMessage.Assistant("yo")], row.Messages);
    }

    [Fact]
    public void PreferenceIsDetectedWithStringsAndWithMessageLists()
    {
        string strings = _files.Jsonl("pref.jsonl", """{"prompt":"Q","chosen":"good","rejected":"bad"}""");
        LoadedDataset data = DatasetReader.Read(strings);
        Assert.Equal(DatasetFormat.Preference, data.Format);
        Assert.Equal(new PreferenceRow(new RowSource(strings, 1), RowContent.FromText("Q"), RowContent.FromText("good"), RowContent.FromText("bad")), data.Rows[0]);

        string lists = _files.Jsonl("pref-chat.jsonl",
            """{"prompt":[{"role":"user","content":"Q"}],"chosen":[{"role":"assistant","content":"good"}],"rejected":[{"role":"assistant","content":"bad"}]}""");
        var row = Assert.IsType<PreferenceRow>(Assert.Single(DatasetReader.Read(lists).Rows));
        Assert.Equal(RowContent.FromMessages([ChatMessage.User("Q")]), row.Prompt);
        Assert.Equal(RowContent.FromMessages([ChatMessage.Assistant("bad")]), row.Rejected);
    }

    [Fact]
    public void ScoredRowsReadRewardOrScore()
    {
        string reward = _files.Jsonl("r.jsonl", """{"prompt":"p","completion":"c","reward":-1.25}""");
        LoadedDataset data = DatasetReader.Read(reward);
        Assert.Equal(DatasetFormat.Scored, data.Format);
        Assert.Equal(-1.25, Assert.IsType<ScoredRow>(data.Rows[0]).Reward);
        string score = _files.Jsonl("s.jsonl", """{"prompt":"p","completion":"c","score":3}""");
        Assert.Equal(3.0, Assert.IsType<ScoredRow>(DatasetReader.Read(score).Rows[0]).Reward);
    }

    [Fact]
    public void HhTranscriptsSplitAtTheLastAssistantMarker()
    {
        string path = _files.Jsonl("hh.jsonl",
            """{"chosen":"\n\nHuman: hi\n\nAssistant: hello\n\nHuman: 2+2?\n\nAssistant: 4","rejected":"\n\nHuman: hi\n\nAssistant: hello\n\nHuman: 2+2?\n\nAssistant: 5, as Assistant: says"}""");
        LoadedDataset data = DatasetReader.Read(path);
        Assert.Equal(DatasetFormat.ImplicitPromptPreference, data.Format);
        var row = Assert.IsType<PreferenceRow>(data.Rows[0]);
        Assert.Equal("\n\nHuman: hi\n\nAssistant: hello\n\nHuman: 2+2?\n\nAssistant:", row.Prompt.Text);
        Assert.Equal(" 4", row.Chosen.Text);
        Assert.Equal(" 5, as Assistant: says", row.Rejected.Text); // "Assistant:" without the blank line before it is content
    }

    [Fact]
    public void HhTranscriptsWithDifferentPromptsOrNoMarkerAreErrors()
    {
        string different = _files.Jsonl("hh-diff.jsonl", """{"chosen":"\n\nHuman: a\n\nAssistant: x","rejected":"\n\nHuman: b\n\nAssistant: y"}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(different));
        Assert.Equal((1L, "rejected"), (error.Line, error.Column));
        Assert.Contains("share no prompt", error.Message);

        string noMarker = _files.Jsonl("hh-none.jsonl", """{"chosen":"\n\nHuman: a\n\nAssistant: x","rejected":"just text"}""");
        Assert.Equal("rejected", Assert.Throws<DataFormatException>(() => DatasetReader.Read(noMarker)).Column);
    }

    [Fact]
    public void ImplicitPromptConversationsSplitWhereTheyDiverge()
    {
        string path = _files.Jsonl("implicit.jsonl",
            """{"chosen":[{"role":"system","content":"S"},{"role":"user","content":"Q"},{"role":"assistant","content":"good"}],"rejected":[{"role":"system","content":"S"},{"role":"user","content":"Q"},{"role":"assistant","content":"bad"}]}""");
        var row = Assert.IsType<PreferenceRow>(DatasetReader.Read(path).Rows[0]);
        Assert.Equal(RowContent.FromMessages([ChatMessage.System("S"), ChatMessage.User("Q")]), row.Prompt);
        Assert.Equal(RowContent.FromMessages([ChatMessage.Assistant("good")]), row.Chosen);
        Assert.Equal(RowContent.FromMessages([ChatMessage.Assistant("bad")]), row.Rejected);
    }

    [Fact]
    public void TheFormatCanBeOverridden()
    {
        // Both prompt/completion and messages: ambiguous until the user says which.
        string path = _files.Jsonl("both.jsonl", """{"prompt":"p","completion":"c","messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"}]}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Contains("several layouts (PromptCompletion, Messages)", error.Message);
        Assert.Contains(DatasetFormatDetector.RecognisedLayouts, error.Message);
        Assert.Equal(DatasetFormat.Messages, DatasetReader.Read(path, DatasetFormat.Messages).Format);
        Assert.IsType<SftRow>(DatasetReader.Read(path, DatasetFormat.PromptCompletion).Rows[0]);

        // Overriding to a layout whose columns are missing names the column.
        var missing = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path, DatasetFormat.Preference));
        Assert.Equal("chosen", missing.Column);
    }

    [Fact]
    public void ARowWithTheColumnsOfAnotherLayoutIsAnError()
    {
        string path = _files.Jsonl("drift.jsonl", """{"prompt":"p","completion":"c"}""", """{"prompt":"p","completion":"c","reward":1}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Equal(2, error.Line);
        Assert.Contains("are the Scored layout, but the file is PromptCompletion (detected from line 1)", error.Message);
        Assert.Equal(2, DatasetReader.Read(path, DatasetFormat.PromptCompletion).Rows.Count); // an explicit layout reads the columns it needs
    }

    [Fact]
    public void UnpairedPreferenceIsRefusedRatherThanReadAsSft()
    {
        string path = _files.Jsonl("kto.jsonl", """{"prompt":"p","completion":"bad answer","label":false}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Contains("unpaired preference layout (KTO)", error.Message);
        Assert.Equal(DatasetFormat.PromptCompletion, DatasetReader.Read(path, DatasetFormat.PromptCompletion).Format); // unless asked for
    }

    [Fact]
    public void UnknownColumnsListTheRecognisedLayouts()
    {
        string path = _files.Jsonl("odd.jsonl", """{"text":"hello","label":true}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.StartsWith($"{path}:1: cannot tell the dataset layout from its columns text, label", error.Message);
        Assert.Contains("prompt + chosen + rejected", error.Message);
    }

    [Theory]
    [InlineData("""{"prompt":"p"}""", "completion", "missing (the row has: prompt)")]
    [InlineData("""{"prompt":"p","completion":3}""", "completion", "expected a string or a list of {role, content} messages, found Number")]
    [InlineData("""{"prompt":"p","completion":null}""", "completion", "is null")]
    [InlineData("""{"prompt":[{"role":"user"}],"completion":[{"role":"assistant","content":"a"}]}""", "prompt", "message 0: missing \"content\"")]
    [InlineData("""{"prompt":[{"role":"user","content":["x"]}],"completion":[{"role":"assistant","content":"a"}]}""", "prompt", "message 0: \"content\" must be a string, found Array")]
    [InlineData("""{"prompt":"p","completion":[{"role":"assistant","content":"a"}]}""", "completion", "mixes plain text and message lists")]
    public void BadRowsNameFileLineAndColumn(string badLine, string column, string reason)
    {
        string path = _files.Jsonl("bad.jsonl", """{"prompt":"p","completion":"c"}""", badLine);
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Equal((path, 2L, column), (error.File, error.Line, error.Column));
        Assert.StartsWith($"{path}:2: column \"{column}\": {reason}", error.Message);
    }

    [Fact]
    public void NonUtf8LineIsAnErrorNamingTheLine()
    {
        string path = _files.PathOf("latin1.jsonl");
        File.WriteAllBytes(path, [.. "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"caf"u8.ToArray(), 0xE9, .. "\",\"completion\":\"b\"}\n"u8.ToArray()]);
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Equal(2, error.Line);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void SkipInvalidCountsAndReportsWhatItSkipped()
    {
        string path = _files.PathOf("mixed.jsonl");
        File.WriteAllBytes(path, [
            .. """{"prompt":"p1","completion":"c1"}"""u8.ToArray(), (byte)'\n',
            .. """{"prompt":"p2"}"""u8.ToArray(), (byte)'\n',
            .. """{"prompt":"p3","completion":"c3"}"""u8.ToArray(), (byte)'\n',
            .. """{"prompt": oops"""u8.ToArray(), (byte)'\n',
            .. "{\"prompt\":\""u8.ToArray(), 0xFF, .. "\",\"completion\":\"c\"}\n"u8.ToArray(),
            .. """{"prompt":"p6","completion":"c6"}"""u8.ToArray(), (byte)'\n']);
        LoadedDataset data = DatasetReader.Read(path, skipInvalid: true);
        Assert.Equal([1L, 3L, 6L], data.Rows.Select(r => r.Source.Line));
        Assert.Equal([2L, 4L, 5L], data.Skipped.Select(p => p.Source.Line));
        Assert.Equal("completion", data.Skipped[0].Column);
        Assert.Contains("not valid JSON", data.Skipped[1].Message);
        Assert.Contains("UTF-8", data.Skipped[2].Message);
        Assert.Throws<DataFormatException>(() => DatasetReader.Read(path)); // without the flag the first bad row stops the read
    }

    [Fact]
    public void EmptyFileAndUnknownExtensionAreErrors()
    {
        Assert.Contains("no rows", Assert.Throws<DataFormatException>(() => DatasetReader.Read(_files.Jsonl("empty.jsonl", ""))).Message);
        string csv = _files.Jsonl("data.csv", "prompt,completion");
        Assert.Contains("expected .jsonl or .parquet", Assert.Throws<DataFormatException>(() => DatasetReader.Read(csv)).Message);
    }
}

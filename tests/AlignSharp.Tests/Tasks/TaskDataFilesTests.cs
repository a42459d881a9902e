using AlignSharp.Data;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public sealed class TaskDataFilesTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-tasks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void RowsAreWrittenInTrlColumnsAndReadBack()
    {
        var task = new ArithmeticTask();
        IReadOnlyList<SftExample> sft = task.SftDemonstrations(5, 0.4, seed: 1);
        IReadOnlyList<PreferencePair> pairs = task.PreferencePairs(5, seed: 1);
        IReadOnlyList<string> prompts = task.Prompts(5, Split.HeldOut, seed: 1);
        IReadOnlyList<ScoredExample> scored = ScoredExample.ScoreAll(task.TrueReward, sft.Select(r => new RewardInput(r.Prompt, r.Completion)).ToArray());

        string sftPath = Path.Combine(_folder, "sft.jsonl"), pairsPath = Path.Combine(_folder, "sub", "pairs.jsonl");
        string promptsPath = Path.Combine(_folder, "prompts.jsonl"), scoredPath = Path.Combine(_folder, "scored.jsonl");
        TaskDataFiles.WriteSft(sftPath, sft);
        TaskDataFiles.WritePreferencePairs(pairsPath, pairs);
        TaskDataFiles.WritePrompts(promptsPath, prompts);
        TaskDataFiles.WriteScored(scoredPath, scored);

        List<JsonlRow> sftRows = JsonlReader.Read(sftPath).ToList();
        Assert.All(sftRows, r => Assert.Equal(new[] { "prompt", "completion" }, r.ColumnNames()));
        Assert.Equal(sft, sftRows.Select(r => new SftExample(r.GetString("prompt"), r.GetString("completion"))));

        List<JsonlRow> pairRows = JsonlReader.Read(pairsPath).ToList();
        Assert.All(pairRows, r => Assert.Equal(new[] { "prompt", "chosen", "rejected" }, r.ColumnNames()));
        Assert.Equal(pairs, pairRows.Select(r => new PreferencePair(r.GetString("prompt"), r.GetString("chosen"), r.GetString("rejected"))));

        Assert.Equal(prompts, JsonlReader.Read(promptsPath).Select(r => r.GetString("prompt")));

        List<JsonlRow> scoredRows = JsonlReader.Read(scoredPath).ToList();
        Assert.All(scoredRows, r => Assert.Equal(new[] { "prompt", "completion", "reward" }, r.ColumnNames()));
        Assert.Equal(scored.Select(s => s.Reward), scoredRows.Select(r => r.Value.GetProperty("reward").GetDouble()));
        Assert.Equal(2, scored.Count(s => s.Reward == 0)); // 40% of 5 are wrong answers

        Assert.Empty(Directory.GetFiles(_folder, "*.tmp-*", SearchOption.AllDirectories));
    }
}

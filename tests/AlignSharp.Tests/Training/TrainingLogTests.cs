using System.Text;
using System.Text.Json;
using AlignSharp.Tests.Checkpoints;
using AlignSharp.Training;
using static AlignSharp.Tests.Training.TrainingTestData;

namespace AlignSharp.Tests.Training;

public class TrainingLogTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void MetricsJsonlAndTensorBoardHoldTheSameRows()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(seed: 9);
        var stepLosses = new List<double>();
        int evaluations = 0;
        var result = TrainingLoop.Run(model, Examples(8), Sft(model),
            Options(folder.Path) with { MaxSteps = 5, LoggingSteps = 2, EvalSteps = 2 },
            new TrainingCallbacks
            {
                OnStep = p => stepLosses.Add(p.Loss),
                Evaluate = step =>
                {
                    evaluations++;
                    Assert.False(model.training); // evaluation sees the model in eval mode
                    return new Dictionary<string, double> { ["loss"] = step * 0.5, ["eval_accuracy"] = 0.25 };
                },
            });
        Assert.Equal(2, evaluations);

        // metrics.jsonl: train rows at 2, 4 and the last step, eval rows at 2 and 4; every line is a JSON object.
        string[] lines = File.ReadAllLines(Path.Combine(folder.Path, MetricsJsonlLog.FileName));
        foreach (string line in lines)
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind);
        var rows = lines.Select(MetricsJsonlLog.Parse).ToArray();
        Assert.Equal(new[] { 2, 2, 4, 4, 5 }, rows.Select(r => r.Step));
        var train = rows.Where(r => r.Values.ContainsKey("loss")).ToArray();
        var eval = rows.Where(r => r.Values.ContainsKey("eval_loss")).ToArray();
        Assert.Equal(new[] { 2, 4, 5 }, train.Select(r => r.Step));
        foreach (var row in train)
            foreach (string key in new[] { "learning_rate", "grad_norm", "tokens_per_second", "nll_per_token", "completion_tokens" })
                Assert.True(row.Values.ContainsKey(key), $"row of step {row.Step} lacks {key}");
        Assert.Equal((stepLosses[0] + stepLosses[1]) / 2, train[0].Values["loss"], 9); // the window's mean
        Assert.Equal(stepLosses[4], train[2].Values["loss"], 9);
        Assert.Equal(0.5, train[0].Epoch); // 4 steps per epoch
        Assert.Equal(new[] { 1.0, 2.0 }, eval.Select(r => r.Values["eval_loss"]));
        Assert.Equal(0.25, eval[0].Values["eval_accuracy"]);
        Assert.Equal(rows.Select(MetricsJsonlLog.Serialize), result.LogHistory.Select(MetricsJsonlLog.Serialize));

        // TensorBoard: one file in runs/, file_version first, then one event per row with matching scalars.
        string eventFile = Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, TrainingLoop.EventsFolder)));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(eventFile));
        var events = TensorBoardEventReader.Read(eventFile);
        Assert.Equal(TensorBoardEventWriter.FileVersion, events[0].FileVersion);
        Assert.Empty(events[0].Scalars);
        Assert.True(Math.Abs(events[0].WallTime - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 600);
        var summaries = events.Skip(1).ToArray();
        Assert.Equal(rows.Select(r => (long)r.Step), summaries.Select(e => e.Step));
        for (int i = 0; i < rows.Length; i++)
        {
            var scalars = summaries[i].Scalars.ToDictionary(s => s.Tag, s => s.Value);
            foreach (var (name, value) in rows[i].Values)
            {
                string tag = name.StartsWith("eval_") ? "eval/" + name["eval_".Length..] : "train/" + name;
                Assert.Equal((float)value, scalars[tag]);
            }
        }
    }

    [Fact]
    public void NonFiniteMetricValuesSurviveTheJsonRoundTrip()
    {
        var row = new MetricsRow(3, 0.75, new Dictionary<string, double> { ["loss"] = 1.5, ["nll_per_token"] = double.NaN, ["kl"] = double.PositiveInfinity });
        string line = MetricsJsonlLog.Serialize(row);
        Assert.Equal("{\"step\":3,\"epoch\":0.75,\"loss\":1.5,\"nll_per_token\":\"NaN\",\"kl\":\"Infinity\"}", line);
        var parsed = MetricsJsonlLog.Parse(line);
        Assert.Equal(3, parsed.Step);
        Assert.True(double.IsNaN(parsed.Values["nll_per_token"]));
        Assert.Equal(double.PositiveInfinity, parsed.Values["kl"]);
    }
}

using System.Text;
using System.Text.Json;
using AlignSharp.Rollouts;

namespace AlignSharp.Recipes.Online;

/// <summary>
/// <c>completions.jsonl</c> in the output folder: at the first step and every logging step, a few (prompt, completion,
/// reward) samples of the generation, so a person can read what the model writes as it trains. Appended to, one JSON
/// object a line, flushed at once (a run killed mid-way keeps what it wrote).
/// </summary>
public sealed class CompletionsLog
{
    public const string FileName = "completions.jsonl";

    // Non-ASCII text as written (a person reads this file); control characters still escaped.
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly string _path;
    readonly int _samples;
    readonly int _loggingSteps;

    public CompletionsLog(string outputDir, int samples, int loggingSteps)
    {
        Directory.CreateDirectory(outputDir);
        _path = Path.Combine(outputDir, FileName);
        _samples = samples;
        _loggingSteps = loggingSteps;
    }

    public void Write(RolloutGeneration generation)
    {
        if (_samples == 0) return;
        int last = generation.FirstStep; // the generation's first step is where its metrics are logged
        if (last != 1 && last % _loggingSteps != 0) return;
        var lines = new StringBuilder();
        // Spread over the generation: every k-th completion, so several prompts are seen.
        int stride = Math.Max(generation.Examples.Count / _samples, 1);
        for (int i = 0, written = 0; i < generation.Examples.Count && written < _samples; i += stride, written++)
        {
            RolloutExample example = generation.Examples[i];
            lines.Append(JsonSerializer.Serialize(new
            {
                step = generation.FirstStep,
                prompt = generation.PromptTexts[i],
                completion = example.Completion,
                reward = example.Reward,
                advantage = example.Advantage,
                truncated = example.Truncated,
                tokens = example.CompletionLength,
            }, Readable));
            lines.Append('\n');
        }
        File.AppendAllText(_path, lines.ToString(), new UTF8Encoding(false));
    }
}

using System.Text;
using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Cli;

/// <summary>
/// The README's first commands, run as a user runs them: init a tiny model, inspect it, score and
/// generate with it. Scores are checked against a naive full-vocabulary computation done here.
/// </summary>
public sealed class CliEndToEndTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-cli-").FullName;
    string ModelDir => Path.Combine(_folder, "model");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InitWritesALoadableSeededModelFolder()
    {
        CliRunner.RunOk("init", "--arch", "llama", "--preset", "tiny", "--tokenizer", "byte", "--output", ModelDir, "--seed", "7");
        foreach (string file in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(ModelDir, file)), $"missing {file}");

        using var folder = ModelFolder.Load(ModelDir);
        Assert.Equal("LlamaForCausalLM", folder.Model.Config.Architecture);
        Assert.Equal("chatml", folder.ChatTemplate().Name);
        Assert.Equal(folder.Tokenizer.Tokenizer.EosTokenId, folder.Model.Config.EosTokenIds.Single());

        // Same seed → same weights; a different seed → different weights.
        string again = Path.Combine(_folder, "again");
        string other = Path.Combine(_folder, "other");
        CliRunner.RunOk("init", "--arch", "llama", "--output", again, "--seed", "7");
        CliRunner.RunOk("init", "--arch", "llama", "--output", other, "--seed", "8");
        byte[] weights = File.ReadAllBytes(Path.Combine(ModelDir, "model.safetensors"));
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(again, "model.safetensors")));
        Assert.NotEqual(weights, File.ReadAllBytes(Path.Combine(other, "model.safetensors")));

        // Refuses to overwrite without --overwrite.
        var refused = CliRunner.Run("init", "--arch", "llama", "--output", ModelDir);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--overwrite", refused.StandardError);
    }

    [Theory]
    [InlineData("qwen2", "Qwen2ForCausalLM")]
    [InlineData("gpt2", "GPT2LMHeadModel")]
    [InlineData("gpt_neox", "GPTNeoXForCausalLM")]
    public void InfoDescribesEveryArchitecture(string arch, string architecture)
    {
        CliRunner.RunOk("init", "--arch", arch, "--output", ModelDir);
        var info = CliRunner.RunOk("info", ModelDir);
        Assert.Contains(architecture, info.StandardOutput);
        Assert.Contains("chatml", info.StandardOutput);
        Assert.Contains("F32", info.StandardOutput);
        using var folder = ModelFolder.Load(ModelDir);
        long parameters = folder.Model.parameters().Sum(p => p.numel());
        Assert.Contains($"{parameters:N0}", info.StandardOutput);
    }

    [Fact]
    public void ScoreMatchesANaiveFullVocabularyComputationInInputOrder()
    {
        CliRunner.RunOk("init", "--arch", "llama", "--output", ModelDir, "--seed", "3");
        string data = Path.Combine(_folder, "in.jsonl");
        var rows = new (string Prompt, string Completion)[]
        {
            ("Tom has 3 apples and buys 4 more.", " 7"),
            ("Hi", " there, a much longer completion than the others"),
            ("A prompt that is quite a bit longer than the rest of them", "!"),
        };
        File.WriteAllLines(data, rows.Select(r => System.Text.Json.JsonSerializer.Serialize(new { prompt = r.Prompt, completion = r.Completion })));
        string output = Path.Combine(_folder, "out.jsonl");
        CliRunner.RunOk("score", "--model", ModelDir, "--data", data, "--output", output, "--batch-rows", "2");

        var scored = JsonlReader.Read(output).ToList();
        Assert.Equal(rows.Length, scored.Count);
        using var folder = ModelFolder.Load(ModelDir);
        ITokenizer tokenizer = folder.Tokenizer.Tokenizer;
        for (int i = 0; i < rows.Length; i++)
        {
            IReadOnlyList<int> prompt = tokenizer.Encode(rows[i].Prompt, addSpecialTokens: true);
            IReadOnlyList<int> completion = tokenizer.Encode(rows[i].Completion, addSpecialTokens: false);
            Assert.Equal(folder.Tokenizer.Tokenizer.BosTokenId, prompt[0]); // TRL: BOS on the prompt only
            double expected = NaiveLogProb(folder.CausalLM, prompt, completion);
            Assert.Equal(completion.Count, scored[i].Value.GetProperty("tokens").GetInt32());
            Assert.Equal(expected, scored[i].Value.GetProperty("logprob").GetDouble(), 3);
        }
    }

    [Fact]
    public void ScoreMessagesRowsScoresTheLastAssistantTurnWithItsEndMarker()
    {
        CliRunner.RunOk("init", "--arch", "llama", "--output", ModelDir);
        string data = Path.Combine(_folder, "chat.jsonl");
        File.WriteAllText(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello!\"}]}\n");
        string output = Path.Combine(_folder, "out.jsonl");
        CliRunner.RunOk("score", "--model", ModelDir, "--data", data, "--output", output);

        using var folder = ModelFolder.Load(ModelDir);
        ITokenizer tokenizer = folder.Tokenizer.Tokenizer;
        var prompt = tokenizer.Encode("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", addSpecialTokens: false);
        var completion = tokenizer.Encode("hello!<|im_end|>", addSpecialTokens: false);
        JsonlRow row = JsonlReader.Read(output).Single();
        Assert.Equal(7, row.Value.GetProperty("tokens").GetInt32()); // 6 bytes + <|im_end|>
        Assert.Equal(NaiveLogProb(folder.CausalLM, prompt, completion), row.Value.GetProperty("logprob").GetDouble(), 3);
    }

    [Fact]
    public void GenerateIsReproducibleWithASeed()
    {
        CliRunner.RunOk("init", "--arch", "gpt2", "--output", ModelDir);
        string[] args = ["generate", "--model", ModelDir, "--prompt", "Once upon a time", "--max-new-tokens", "12", "--seed", "5"];
        var first = CliRunner.RunOk(args);
        var second = CliRunner.RunOk(args);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        Assert.Contains("12 tokens", first.StandardError);
        var greedy = CliRunner.RunOk("generate", "--model", ModelDir, "--prompt", "Once upon a time", "--max-new-tokens", "12", "--temperature", "0");
        Assert.Equal(greedy.StandardOutput, CliRunner.RunOk("generate", "--model", ModelDir, "--prompt", "Once upon a time", "--max-new-tokens", "12", "--temperature", "0", "--seed", "99").StandardOutput);
    }

    [Fact]
    public void BadInputsAreOneClearLineNamingTheFile()
    {
        CliRunner.RunOk("init", "--arch", "llama", "--output", ModelDir);

        var missing = CliRunner.Run("info", Path.Combine(_folder, "nowhere"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nowhere", missing.StandardError);

        string noConfig = Path.Combine(_folder, "noconfig");
        Directory.CreateDirectory(noConfig);
        var noConfigResult = CliRunner.Run("info", noConfig);
        Assert.Equal(1, noConfigResult.ExitCode);
        Assert.Contains("config.json", noConfigResult.StandardError);
        Assert.DoesNotContain("   at ", noConfigResult.StandardError); // no stack trace for user errors

        string badData = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllBytes(badData, [.. "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\""u8.ToArray(), 0xff, .. "\",\"completion\":\"b\"}\n"u8.ToArray()]);
        var bad = CliRunner.Run("score", "--model", ModelDir, "--data", badData, "--output", Path.Combine(_folder, "o.jsonl"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bad.jsonl:2", bad.StandardError);
        Assert.False(File.Exists(Path.Combine(_folder, "o.jsonl")));

        // A truncated checkpoint names the file.
        string weights = Path.Combine(ModelDir, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var truncated = CliRunner.Run("generate", "--model", ModelDir, "--prompt", "x");
        Assert.Equal(1, truncated.ExitCode);
        Assert.Contains("model.safetensors", truncated.StandardError);
    }

    static double NaiveLogProb(CausalLM model, IReadOnlyList<int> prompt, IReadOnlyList<int> completion)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long[] ids = [.. prompt.Select(i => (long)i), .. completion.Select(i => (long)i)];
        Tensor logits = model.Logits(model.Hidden(tensor(ids).unsqueeze(0))).to_type(ScalarType.Float64);
        Tensor logProbs = logits.log_softmax(-1)[0];
        double sum = 0;
        for (int t = 0; t < completion.Count; t++)
            sum += logProbs[prompt.Count + t - 1, completion[t]].item<double>();
        return sum;
    }
}

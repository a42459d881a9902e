using System.Text.Json.Nodes;
using AlignSharp.Modeling;
using static AlignSharp.Tests.Modeling.ModelFixtures;

namespace AlignSharp.Tests.Modeling;

public class ModelConfigTests
{
    [Fact]
    public void MissingConfigJsonIsAClearError()
    {
        using var folder = new ScratchFolder();
        var error = Assert.Throws<FileNotFoundException>(() => PretrainedModels.Load(folder.Path));
        Assert.Contains("config.json", error.Message);
        Assert.Contains(folder.Path, error.Message);
    }

    [Fact]
    public void UnknownModelTypeListsTheSupportedOnes()
    {
        using var folder = new ScratchFolder();
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), """{"model_type": "bert", "architectures": ["BertModel"]}""");
        var error = Assert.Throws<InvalidDataException>(() => PretrainedModels.Load(folder.Path));
        Assert.Contains(Path.Combine(folder.Path, "config.json"), error.Message);
        Assert.Contains("\"bert\"", error.Message);
        foreach (string supported in new[] { "llama", "mistral", "qwen2", "gpt2", "gpt_neox", "LlamaForCausalLM", "GPT2LMHeadModel" })
            Assert.Contains(supported, error.Message);
    }

    [Fact]
    public void UnknownArchitectureOfAKnownTypeIsAnError()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder("llama3_gqa"), "config.json")))!.AsObject();
        json["architectures"] = new JsonArray("LlamaForTokenClassification");
        var error = Assert.Throws<InvalidDataException>(() => ModelConfig.Parse(json, "x/config.json"));
        Assert.Contains("LlamaForTokenClassification", error.Message);
        Assert.Contains("x/config.json", error.Message);
    }

    [Fact]
    public void WrongTypedValueNamesTheKey()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder("gpt2"), "config.json")))!.AsObject();
        json["n_layer"] = "two";
        var error = Assert.Throws<InvalidDataException>(() => ModelConfig.Parse(json, "g/config.json"));
        Assert.Contains("\"n_layer\"", error.Message);
    }

    [Fact]
    public void MultiLabelClassifierIsRejected()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder("llama_score"), "config.json")))!.AsObject();
        json["num_labels"] = 3;
        var error = Assert.Throws<InvalidDataException>(() => ModelConfig.Parse(json));
        Assert.Contains("num_labels 3", error.Message);
    }

    [Theory]
    [InlineData("llama", 64, 2, 4, 2)]
    [InlineData("qwen2", 64, 2, 4, 2)]
    [InlineData("gpt2", 64, 2, 4, 4)]
    [InlineData("gpt_neox", 64, 2, 4, 4)]
    public void TinyPresets(string arch, int hidden, int layers, int heads, int kvHeads)
    {
        var config = ModelPresets.Create(arch, "tiny", 100);
        Assert.Equal((hidden, layers, heads, kvHeads, 100), (config.HiddenSize, config.LayerCount, config.HeadCount, config.KeyValueHeadCount, config.VocabSize));
        var small = ModelPresets.Create(arch, "small", 100);
        Assert.Equal((256, 6), (small.HiddenSize, small.LayerCount));
        Assert.Throws<ArgumentException>(() => ModelPresets.Create(arch, "huge", 100));
    }
}

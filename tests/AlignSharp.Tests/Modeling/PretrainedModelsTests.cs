using System.Text.Json.Nodes;
using AlignSharp.Checkpoints;
using AlignSharp.Modeling;
using TorchSharp;
using static AlignSharp.Tests.Modeling.ModelFixtures;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

public class PretrainedModelsTests
{
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    static readonly long[,] Batch = { { 5, 17, 33, 2, 39, 9 }, { 1, 7, 30, 12, 0, 0 } };
    static readonly long[,] BatchMask = { { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 0, 0 } };

    public static TheoryData<string> Architectures => new() { "llama", "qwen2", "gpt2", "gpt_neox" };

    [Theory, MemberData(nameof(Architectures))]
    public void SaveThenLoadGivesIdenticalTensorsAndLogits(string arch)
    {
        using var folder = new ScratchFolder();
        using var original = ModelTestData.TinyModel(arch);
        original.Save(folder.Path);
        using var loaded = PretrainedModels.LoadCausalLM(folder.Path);

        var before = original.state_dict();
        var after = loaded.state_dict();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (name, tensor) in before)
            Assert.True(Same(tensor, after[name]), $"{arch}: {name} changed in the round trip");

        using var scope = NewDisposeScope();
        var ids = tensor(Batch);
        var mask = tensor(BatchMask);
        var a = original.Logits(original.Hidden(ids, mask));
        var b = loaded.Logits(loaded.Hidden(ids, mask));
        Assert.True(Same(a, b), $"{arch}: logits differ after save → load");

        Assert.True(File.Exists(Path.Combine(folder.Path, "generation_config.json")));
        var generation = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "generation_config.json")))!;
        Assert.Equal(1, generation["bos_token_id"]!.GetValue<int>());
        Assert.Equal(2, generation["eos_token_id"]!.GetValue<int>());
    }

    [Fact]
    public void Gpt2WeightsAreSavedInConv1DLayoutWithTiedHeadOmitted()
    {
        using var folder = new ScratchFolder();
        using var model = ModelTestData.TinyModel("gpt2");
        model.Save(folder.Path);
        using var tensors = CheckpointTensors.Open(folder.Path);
        Assert.Equal([64L, 192], tensors.Info("transformer.h.0.attn.c_attn.weight").Shape);
        Assert.Equal([64L, 256], tensors.Info("transformer.h.0.mlp.c_fc.weight").Shape);
        Assert.DoesNotContain("lm_head.weight", tensors.Names);
        using var stored = tensors.Read("transformer.h.0.attn.c_attn.weight");
        var parameter = model.named_parameters().Single(p => p.name == "transformer.h.0.attn.c_attn.weight").parameter;
        Assert.True(Same(stored, parameter));
    }

    [Fact]
    public void SavedConfigKeepsUnknownKeysAndRoundTrips()
    {
        using var folder = new ScratchFolder();
        using var model = PretrainedModels.LoadCausalLM(Folder("llama3_gqa"));
        model.Save(folder.Path);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "config.json")))!.AsObject();
        Assert.True(saved["an_unknown_key"]!["kept"]!.GetValue<bool>());
        Assert.Equal("llama3", saved["rope_scaling"]!["rope_type"]!.GetValue<string>());
        Assert.Equal(new[] { 2, 3 }, saved["eos_token_id"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("float32", saved["torch_dtype"]!.GetValue<string>());
        var reparsed = ModelConfig.Load(folder.Path);
        Assert.Equal(model.Config.EosTokenIds, reparsed.EosTokenIds);
        Assert.Equal(model.Config with { Raw = reparsed.Raw, EosTokenIds = reparsed.EosTokenIds }, reparsed);
        Assert.True(JsonNode.DeepEquals(model.Config.ToJson(), reparsed.ToJson()));
    }

    [Fact]
    public void TiedHeadInTheCheckpointIsAccepted()
    {
        using var folder = new ScratchFolder();
        using var model = ModelTestData.TinyModel("qwen2");
        model.Save(folder.Path);
        var tensors = model.state_dict().ToList();
        tensors.Add(new("lm_head.weight", model.OutputWeight)); // what some exporters write even when tied
        CheckpointWriter.Save(folder.Path, tensors);
        using var loaded = PretrainedModels.LoadCausalLM(folder.Path);
        Assert.True(Same(loaded.OutputWeight, model.OutputWeight));
    }

    [Fact]
    public void MissingUnexpectedAndMisshapenTensorsAreNamed()
    {
        using var folder = new ScratchFolder();
        using var model = ModelTestData.TinyModel("llama");
        model.Save(folder.Path);
        var tensors = model.state_dict().ToDictionary(p => p.Key, p => p.Value);

        var withoutOne = tensors.Where(p => p.Key != "model.layers.1.mlp.up_proj.weight").ToList();
        withoutOne.Add(new("model.layers.1.mlp.extra.weight", tensors["model.norm.weight"]));
        CheckpointWriter.Save(folder.Path, withoutOne);
        var error = Assert.Throws<InvalidDataException>(() => PretrainedModels.Load(folder.Path));
        Assert.Contains("missing tensors (1): model.layers.1.mlp.up_proj.weight", error.Message);
        Assert.Contains("unexpected tensors (1): model.layers.1.mlp.extra.weight", error.Message);
        Assert.Contains(folder.Path, error.Message);

        using var wrong = zeros(3, 64);
        var misshapen = tensors.Select(p => p.Key == "model.layers.0.self_attn.k_proj.weight" ? new(p.Key, wrong) : p).ToList();
        CheckpointWriter.Save(folder.Path, misshapen);
        error = Assert.Throws<InvalidDataException>(() => PretrainedModels.Load(folder.Path));
        Assert.Contains("model.layers.0.self_attn.k_proj.weight has shape [3, 64], the model expects [32, 64]", error.Message);
    }

    [Fact]
    public void HubStyleGpt2WithoutPrefixAndWithMaskBuffersLoads()
    {
        // The original "gpt2" checkpoints name tensors "h.0.attn.c_attn.weight" and carry causal-mask buffers.
        using var folder = new ScratchFolder();
        using var model = ModelTestData.TinyModel("gpt2");
        model.Save(folder.Path);
        using var maskBuffer = ones(1, 1, 8, 8);
        var legacy = model.state_dict().Select(p => new KeyValuePair<string, Tensor>(p.Key["transformer.".Length..], p.Value)).ToList();
        legacy.Add(new("h.0.attn.bias", maskBuffer));
        CheckpointWriter.Save(folder.Path, legacy);
        using var loaded = PretrainedModels.LoadCausalLM(folder.Path);
        foreach (var (name, tensor) in model.state_dict())
            Assert.True(Same(tensor, loaded.state_dict()[name]), name);
    }
}

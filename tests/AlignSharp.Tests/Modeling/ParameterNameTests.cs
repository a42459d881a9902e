using AlignSharp.Modeling;

namespace AlignSharp.Tests.Modeling;

/// <summary>Parameter names and shapes are the Hugging Face ones, so state dicts map 1:1.</summary>
public class ParameterNameTests
{
    static Dictionary<string, long[]> Shapes(string arch)
    {
        using var model = new CausalLM(ModelPresets.Create(arch, "tiny", 40));
        return model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
    }

    [Fact]
    public void LlamaNamesAndShapes()
    {
        var shapes = Shapes("llama");
        string[] layer =
        [
            "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
            "self_attn.o_proj.weight", "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
        ];
        var expected = new[] { "model.embed_tokens.weight" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => layer.Select(n => $"model.layers.{i}.{n}")))
            .Append("model.norm.weight"); // tied preset: no lm_head.weight
        Assert.Equal(expected.Order(), shapes.Keys.Order());
        Assert.Equal([32L, 64], shapes["model.layers.0.self_attn.k_proj.weight"]); // 2 kv heads × 16
        Assert.Equal([64L, 64], shapes["model.layers.0.self_attn.q_proj.weight"]);
    }

    [Fact]
    public void Gpt2UsesConv1DLayoutAndTransformerPrefix()
    {
        var shapes = Shapes("gpt2");
        Assert.Equal([64L, 192], shapes["transformer.h.0.attn.c_attn.weight"]); // [in, out]
        Assert.Equal([64L, 256], shapes["transformer.h.1.mlp.c_fc.weight"]);
        Assert.Equal([256L, 64], shapes["transformer.h.1.mlp.c_proj.weight"]);
        Assert.Equal([512L, 64], shapes["transformer.wpe.weight"]);
        Assert.Contains("transformer.ln_f.bias", shapes.Keys);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
        Assert.Equal(2 + 2 + 12 * 2, shapes.Count);
    }

    [Fact]
    public void GptNeoXHasFusedQkvAndUntiedEmbedOut()
    {
        var shapes = Shapes("gpt_neox");
        Assert.Equal([192L, 64], shapes["gpt_neox.layers.0.attention.query_key_value.weight"]);
        Assert.Equal([40L, 64], shapes["embed_out.weight"]);
        Assert.Contains("gpt_neox.final_layer_norm.weight", shapes.Keys);
        Assert.Contains("gpt_neox.layers.1.mlp.dense_4h_to_h.bias", shapes.Keys);
    }

    [Fact]
    public void Qwen2HasBiasOnQkvOnly()
    {
        var shapes = Shapes("qwen2");
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", shapes.Keys);
        Assert.Contains("model.layers.0.self_attn.v_proj.bias", shapes.Keys);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", shapes.Keys);
    }

    [Fact]
    public void ScoreHeadIsOneRowWithoutBias()
    {
        var json = ModelPresets.Create("llama", "tiny", 40).ToJson();
        json["architectures"] = new System.Text.Json.Nodes.JsonArray("LlamaForSequenceClassification");
        json["num_labels"] = 1;
        using var model = new SequenceScoreModel(ModelConfig.Parse(json));
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal([1L, 64], shapes["score.weight"]);
        Assert.DoesNotContain("score.bias", shapes.Keys);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
    }
}

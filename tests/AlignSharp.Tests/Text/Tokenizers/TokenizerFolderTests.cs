using System.Text.Json.Nodes;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

[Collection(TokenizerFixturesCollection.Name)]
public sealed class TokenizerFolderTests(TokenizerFixtures fixtures)
{
    [Fact]
    public void Qwen3_settings_come_from_tokenizer_config()
    {
        var settings = fixtures.Load("qwen3").Settings;
        Assert.StartsWith("{%- if tools %}", settings.ChatTemplate);
        Assert.Contains("<|im_start|>", settings.ChatTemplate);
        Assert.Empty(settings.NamedChatTemplates);
        Assert.Null(settings.BosToken);
        Assert.Equal("<|im_end|>", settings.EosToken);
        Assert.Equal("<|endoftext|>", settings.PadToken);
        Assert.Equal(false, settings.AddBosToken);
        Assert.Equal(131072, settings.ModelMaxLength);
        Assert.Equal(151643, fixtures.Load("qwen3").Tokenizer.PadTokenId);
    }

    [Fact]
    public void Unlimited_model_max_length_reads_as_null_and_sentencepiece_folders_load_tokenizer_model()
    {
        var llama3 = fixtures.Load("llama3").Settings;
        Assert.Null(llama3.ModelMaxLength); // 1e30 in the file
        Assert.Contains("<|start_header_id|>", llama3.ChatTemplate);

        var spm = fixtures.Load("llama2-spm");
        Assert.IsType<SentencePieceModelTokenizer>(spm.Tokenizer);
        Assert.Equal((true, false), (spm.Settings.AddBosToken, spm.Settings.AddEosToken));
        Assert.Equal([1, 15043], spm.Tokenizer.Encode("Hello", addSpecialTokens: true));
    }

    [Fact]
    public void A_bare_tokenizer_model_takes_its_roles_from_the_model()
    {
        var folder = CopyOf("llama2-spm");
        File.Delete(Path.Combine(folder, "tokenizer_config.json"));
        var loaded = TokenizerFolder.Load(folder);
        Assert.Equal(("<s>", "</s>", null), (loaded.Tokenizer.BosToken, loaded.Tokenizer.EosToken, loaded.Tokenizer.PadToken));
        Assert.Equal((1, 2), (loaded.Tokenizer.BosTokenId, loaded.Tokenizer.EosTokenId));
        Assert.Equal([1, 15043, 2], loaded.Tokenizer.Encode("Hello</s>", addSpecialTokens: true));
        Assert.Null(loaded.Settings.ChatTemplate);
    }

    [Fact]
    public void Add_eos_token_in_a_llama_config_rebuilds_bos_eos_insertion()
    {
        var folder = CopyOf("mistral");
        EditJson(Path.Combine(folder, "tokenizer_config.json"), c => { c["add_eos_token"] = true; c["add_bos_token"] = false; });
        var tokenizer = TokenizerFolder.Load(folder).Tokenizer;
        Assert.Equal([22557, 2], tokenizer.Encode("Hello", addSpecialTokens: true));
        Assert.Equal([22557], tokenizer.Encode("Hello", addSpecialTokens: false));
    }

    [Fact]
    public void Chat_template_lists_token_objects_and_special_tokens_map_are_read()
    {
        var folder = CopyOf("byte");
        EditJson(Path.Combine(folder, "tokenizer_config.json"), c =>
        {
            c.Remove("bos_token");
            c.Remove("pad_token");
            c["eos_token"] = new JsonObject { ["__type"] = "AddedToken", ["content"] = "<|im_end|>", ["special"] = true };
            c["chat_template"] = new JsonArray(
                new JsonObject { ["name"] = "tool_use", ["template"] = "TOOLS" },
                new JsonObject { ["name"] = "default", ["template"] = "DEFAULT" });
        });
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"),
            """{"bos_token": {"content": "<|bos|>", "lstrip": false}, "pad_token": "<|pad|>", "eos_token": "<|eos|>"}""");
        var loaded = TokenizerFolder.Load(folder);
        Assert.Equal("DEFAULT", loaded.Settings.ChatTemplate);
        Assert.Equal("TOOLS", loaded.Settings.NamedChatTemplates["tool_use"]);
        Assert.Equal("<|im_end|>", loaded.Settings.EosToken); // the config wins over special_tokens_map.json
        Assert.Equal("<|bos|>", loaded.Settings.BosToken);
        Assert.Equal("<|pad|>", loaded.Settings.PadToken);
        Assert.Equal(260, loaded.Tokenizer.EosTokenId);

        // Saved back as a list, read back the same.
        var saved = Path.Combine(fixtures.Root, "saved-" + Guid.NewGuid().ToString("N"));
        TokenizerFolder.Save(loaded, saved);
        var again = TokenizerFolder.Load(saved);
        Assert.Equal(loaded.Settings.ChatTemplate, again.Settings.ChatTemplate);
        Assert.Equal(loaded.Settings.NamedChatTemplates, again.Settings.NamedChatTemplates);
        Assert.IsType<JsonArray>(JsonNode.Parse(File.ReadAllText(Path.Combine(saved, "tokenizer_config.json")))!["chat_template"]);
    }

    [Fact]
    public void Chat_template_jinja_file_is_read_when_the_config_has_none()
    {
        var folder = CopyOf("byte");
        File.WriteAllText(Path.Combine(folder, "chat_template.jinja"), "{{ messages }}");
        Assert.Equal("{{ messages }}", TokenizerFolder.Load(folder).Settings.ChatTemplate);
    }

    [Theory]
    [InlineData("qwen3", "tokenizer.json")]
    [InlineData("llama2-spm", "tokenizer.model")]
    public void Save_copies_the_model_file_keeps_config_keys_and_loads_back_the_same(string family, string modelFile)
    {
        var loaded = fixtures.Load(family);
        var folder = Path.Combine(fixtures.Root, "saved-" + Guid.NewGuid().ToString("N"));
        TokenizerFolder.Save(loaded, folder);

        Assert.Equal(File.ReadAllBytes(Path.Combine(fixtures.Folder(family), modelFile)), File.ReadAllBytes(Path.Combine(folder, modelFile)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        var originalConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures.Folder(family), "tokenizer_config.json")))!.AsObject();
        var savedConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!.AsObject();
        foreach (var (key, _) in originalConfig) Assert.True(savedConfig.ContainsKey(key), $"{key} was dropped");
        Assert.True(JsonNode.DeepEquals(originalConfig["added_tokens_decoder"], savedConfig["added_tokens_decoder"]));

        var again = TokenizerFolder.Load(folder);
        Assert.Equal(loaded.Settings with { NamedChatTemplates = again.Settings.NamedChatTemplates }, again.Settings);
        Assert.Equal(loaded.Tokenizer.GetType(), again.Tokenizer.GetType());
        foreach (var text in fixtures.Texts)
            Assert.Equal(loaded.Tokenizer.Encode(text, true), again.Tokenizer.Encode(text, true));
    }

    private string CopyOf(string family)
    {
        var folder = Path.Combine(fixtures.Root, family + "-copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(fixtures.Folder(family)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    private static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignSharp.Text.TokenizerJson;

namespace AlignSharp.Text;

/// <summary>
/// Reads and writes the tokenizer part of a Hugging Face folder: tokenizer.json (else tokenizer.model),
/// tokenizer_config.json, special_tokens_map.json and chat_template.jinja.
/// </summary>
public static class TokenizerFolder
{
    public const string TokenizerJsonFile = "tokenizer.json";
    public const string SentencePieceModelFile = "tokenizer.model";
    public const string ConfigFile = "tokenizer_config.json";
    public const string SpecialTokensMapFile = "special_tokens_map.json";
    public const string ChatTemplateFile = "chat_template.jinja";

    // model_max_length values this large are transformers' "no limit" sentinel (int(1e30)).
    private const double UnlimitedLength = 1e18;

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static LoadedTokenizer Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new TokenizerLoadException(folder, null, "folder does not exist");
        var configPath = Path.Combine(folder, ConfigFile);
        var configText = File.Exists(configPath) ? File.ReadAllText(configPath) : null;
        using var config = configText is null ? null : ParseJson(configText, configPath);
        var configRoot = config is null ? (JsonSection?)null : new JsonSection(config.RootElement, configPath, "$");

        var mapPath = Path.Combine(folder, SpecialTokensMapFile);
        using var map = File.Exists(mapPath) ? ParseJson(File.ReadAllText(mapPath), mapPath) : null;
        var mapRoot = map is null ? (JsonSection?)null : new JsonSection(map.RootElement, mapPath, "$");

        var settings = ReadSettings(configRoot, mapRoot, Path.Combine(folder, ChatTemplateFile));
        var tokenizerClass = configRoot?.OptionalString("tokenizer_class") ?? "";

        ITokenizer tokenizer;
        var jsonPath = Path.Combine(folder, TokenizerJsonFile);
        var modelPath = Path.Combine(folder, SentencePieceModelFile);
        if (File.Exists(jsonPath))
        {
            // Roles come from the config files, so a role missing from the vocabulary is reported against them.
            var hf = HuggingFaceTokenizer.Load(jsonPath).WithRoles(settings.Roles, configText is null ? mapPath : configPath);
            // transformers' Llama/Gemma fast tokenizers rebuild BOS/EOS insertion from these two flags.
            var rebuildsTemplate = tokenizerClass.StartsWith("Llama", StringComparison.Ordinal) || tokenizerClass.StartsWith("Gemma", StringComparison.Ordinal);
            if (rebuildsTemplate && (settings.AddBosToken is not null || settings.AddEosToken is not null))
                hf = hf.WithBosEos(settings.AddBosToken ?? true, settings.AddEosToken ?? false);
            tokenizer = hf;
        }
        else if (File.Exists(modelPath))
        {
            var added = configRoot?.Optional("added_tokens_decoder") is { } decoder ? ReadAddedTokensDecoder(decoder) : [];
            tokenizer = SentencePieceModelTokenizer.Load(modelPath, settings.AddBosToken ?? true, settings.AddEosToken ?? false, added, settings.Roles);
        }
        else
        {
            throw new TokenizerLoadException(folder, null, $"no {TokenizerJsonFile} or {SentencePieceModelFile} in the folder");
        }
        return new LoadedTokenizer(tokenizer, settings) { SourceConfigJson = configText };
    }

    /// <summary>Writes <paramref name="loaded"/> into <paramref name="folder"/> (created if needed), keeping unknown config keys.</summary>
    public static void Save(LoadedTokenizer loaded, string folder) =>
        Save(loaded.Tokenizer, folder, loaded.Settings, loaded.SourceConfigJson);

    /// <summary>
    /// Writes <paramref name="tokenizer"/> into <paramref name="folder"/>; <paramref name="settings"/> default to
    /// the tokenizer's own BOS/EOS/PAD with no chat template.
    /// </summary>
    public static void Save(ITokenizer tokenizer, string folder, TokenizerSettings? settings = null) =>
        Save(tokenizer, folder, settings, null);

    private static void Save(ITokenizer tokenizer, string folder, TokenizerSettings? settings, string? sourceConfigJson)
    {
        if (tokenizer is not ITokenizerFiles files)
            throw new NotSupportedException($"{tokenizer.GetType().Name} cannot be saved as a Hugging Face tokenizer folder");
        settings ??= TokenizerSettings.Empty with
        {
            BosToken = tokenizer.BosToken, EosToken = tokenizer.EosToken, PadToken = tokenizer.PadToken,
        };
        Directory.CreateDirectory(folder);
        var modelFiles = files.ModelFiles();
        foreach (var (name, content) in modelFiles) WriteAtomically(Path.Combine(folder, name), content);

        var config = sourceConfigJson is null ? new JsonObject() : JsonNode.Parse(sourceConfigJson) as JsonObject ?? new JsonObject();
        SetIfNotNull(config, "bos_token", settings.BosToken);
        SetIfNotNull(config, "eos_token", settings.EosToken);
        SetIfNotNull(config, "pad_token", settings.PadToken);
        SetIfNotNull(config, "unk_token", settings.UnkToken);
        if (settings.AddBosToken is { } addBos) config["add_bos_token"] = addBos;
        if (settings.AddEosToken is { } addEos) config["add_eos_token"] = addEos;
        if (settings.ModelMaxLength is { } maxLength) config["model_max_length"] = maxLength;
        if (settings.NamedChatTemplates.Count > 1)
            config["chat_template"] = new JsonArray(settings.NamedChatTemplates
                .Select(t => (JsonNode)new JsonObject { ["name"] = t.Key, ["template"] = t.Value }).ToArray());
        else if (settings.ChatTemplate is { } template)
            config["chat_template"] = template;
        if (!config.ContainsKey("added_tokens_decoder") && files.AddedTokens.Count > 0)
        {
            var decoder = new JsonObject();
            foreach (var token in files.AddedTokens)
                decoder[token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
                {
                    ["content"] = token.Content, ["lstrip"] = token.LStrip, ["normalized"] = token.Normalized,
                    ["rstrip"] = token.RStrip, ["single_word"] = token.SingleWord, ["special"] = token.Special,
                };
            config["added_tokens_decoder"] = decoder;
        }
        if (!config.ContainsKey("tokenizer_class"))
            config["tokenizer_class"] = modelFiles.ContainsKey(TokenizerJsonFile) ? "PreTrainedTokenizerFast" : "LlamaTokenizer";
        if (!config.ContainsKey("clean_up_tokenization_spaces")) config["clean_up_tokenization_spaces"] = false;
        WriteAtomically(Path.Combine(folder, ConfigFile), Encoding.UTF8.GetBytes(config.ToJsonString(WriteOptions) + "\n"));

        var map = new JsonObject();
        SetIfNotNull(map, "bos_token", settings.BosToken);
        SetIfNotNull(map, "eos_token", settings.EosToken);
        SetIfNotNull(map, "pad_token", settings.PadToken);
        SetIfNotNull(map, "unk_token", settings.UnkToken);
        WriteAtomically(Path.Combine(folder, SpecialTokensMapFile), Encoding.UTF8.GetBytes(map.ToJsonString(WriteOptions) + "\n"));
    }

    private static TokenizerSettings ReadSettings(JsonSection? config, JsonSection? map, string chatTemplatePath)
    {
        string? Token(string name) => ReadTokenName(config?.Optional(name)) ?? ReadTokenName(map?.Optional(name));

        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        string? chatTemplate = null;
        if (config?.Optional("chat_template") is { } templateSection)
        {
            if (templateSection.Kind == JsonValueKind.String) chatTemplate = templateSection.AsString();
            else
            {
                foreach (var item in templateSection.Items()) named[item.String("name")] = item.String("template");
                chatTemplate = named.GetValueOrDefault("default") ?? named.Values.FirstOrDefault();
            }
        }
        else if (File.Exists(chatTemplatePath))
        {
            chatTemplate = File.ReadAllText(chatTemplatePath);
        }

        long? maxLength = null;
        if (config?.Optional("model_max_length") is { } lengthSection)
        {
            if (lengthSection.Kind != JsonValueKind.Number) throw lengthSection.Error("expected a number");
            var value = lengthSection.Element.GetDouble();
            if (value < UnlimitedLength) maxLength = (long)value;
        }
        return new TokenizerSettings(chatTemplate, named, Token("bos_token"), Token("eos_token"), Token("pad_token"), Token("unk_token"),
            config?.Optional("add_bos_token")?.AsBool(), config?.Optional("add_eos_token")?.AsBool(), maxLength);
    }

    /// <summary>A token name is a plain string or an AddedToken object {"content": ...}.</summary>
    private static string? ReadTokenName(JsonSection? section) => section switch
    {
        null => null,
        { Kind: JsonValueKind.String } s => s.AsString(),
        { Kind: JsonValueKind.Object } o => o.String("content"),
        { } other => throw other.Error("expected a string or an object with \"content\""),
    };

    private static List<AddedToken> ReadAddedTokensDecoder(JsonSection decoder) =>
        decoder.Properties().Select(p => new AddedToken(
            int.TryParse(p.Name, out var id) ? id : throw p.Value.Error($"\"{p.Name}\" is not a token id"),
            p.Value.String("content"), p.Value.Bool("special", false), p.Value.Bool("single_word", false),
            p.Value.Bool("lstrip", false), p.Value.Bool("rstrip", false), p.Value.Bool("normalized", false))).ToList();

    private static JsonDocument ParseJson(string text, string path)
    {
        try
        {
            var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new TokenizerLoadException(path, "$", "expected a JSON object at the top level");
            }
            return document;
        }
        catch (JsonException e)
        {
            throw new TokenizerLoadException(path, null, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    private static void SetIfNotNull(JsonObject target, string name, string? value)
    {
        if (value is not null) target[name] = value;
    }

    // Written to a temporary name and renamed, so a crash never leaves a half file (DESIGN.md, Errors).
    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}

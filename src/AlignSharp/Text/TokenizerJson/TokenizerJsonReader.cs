using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>Everything a tokenizer.json declares, turned into runnable parts.</summary>
internal sealed record TokenizerJsonParts(
    BpeModel Model,
    string[] IdToToken,
    IReadOnlyList<AddedToken> AddedTokens,
    INormalizer? Normalizer,
    IPreTokenizer? PreTokenizer,
    IPostProcessor PostProcessor,
    IDecoder? Decoder);

/// <summary>
/// Reads tokenizer.json into <see cref="TokenizerJsonParts"/>. Anything it cannot run faithfully is
/// rejected with the file and JSON path rather than approximated.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerJsonParts Read(byte[] json, string filePath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TokenizerLoadException(filePath, null, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        using (document)
        {
            var root = new JsonSection(document.RootElement, filePath, "$");
            if (root.Kind != JsonValueKind.Object) throw root.Error("expected a JSON object at the top level");
            var modelSection = root.Required("model");
            var modelType = modelSection.OptionalString("type") ?? "BPE";
            if (modelType != "BPE")
                throw modelSection.Required("type").Error($"model type \"{modelType}\" is not supported (only BPE)");

            var vocab = ReadVocab(modelSection.Required("vocab"));
            var addedTokens = root.Optional("added_tokens")?.Items().Select(ReadAddedToken).ToList() ?? [];
            var model = ReadBpe(modelSection, vocab);

            var size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, addedTokens.Count == 0 ? 0 : addedTokens.Max(t => t.Id) + 1);
            var idToToken = new string[size];
            foreach (var (token, id) in vocab) idToToken[id] = token;
            foreach (var token in addedTokens) idToToken[token.Id] = token.Content;

            return new TokenizerJsonParts(
                model,
                idToToken,
                addedTokens,
                root.Optional("normalizer") is { } n ? ReadNormalizer(n) : null,
                root.Optional("pre_tokenizer") is { } p ? ReadPreTokenizer(p) : null,
                root.Optional("post_processor") is { } pp ? ReadPostProcessor(pp) : new IdentityPostProcessor(),
                root.Optional("decoder") is { } d ? ReadDecoder(d) : null);
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonSection section)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, value) in section.Properties())
        {
            var id = value.AsInt();
            if (id < 0) throw value.Error($"token id {id} is negative");
            vocab[name] = id;
        }
        return vocab;
    }

    private static AddedToken ReadAddedToken(JsonSection section) => new(
        section.Required("id").AsInt(),
        section.String("content"),
        section.Bool("special", false),
        section.Bool("single_word", false),
        section.Bool("lstrip", false),
        section.Bool("rstrip", false),
        section.Bool("normalized", false));

    private static BpeModel ReadBpe(JsonSection section, Dictionary<string, int> vocab)
    {
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (section.Optional(affix) is { } value && value.AsString().Length > 0)
                throw value.Error($"BPE with a non-empty {affix} is not supported");
        if (section.Optional("dropout") is { } dropout && dropout.Element.ValueKind == JsonValueKind.Number && dropout.Element.GetDouble() > 0)
            throw dropout.Error("BPE dropout is not supported (it makes encoding random)");
        int? unknownId = null;
        if (section.Optional("unk_token") is { } unk)
        {
            var unkToken = unk.AsString();
            unknownId = vocab.TryGetValue(unkToken, out var id) ? id : throw unk.Error($"unk_token \"{unkToken}\" is not in the vocabulary");
        }
        var merges = section.Optional("merges") is { } m ? BpeModel.ReadMerges(m, vocab) : [];
        return new BpeModel(vocab, merges, new BpeOptions(
            section.Bool("byte_fallback", false), unknownId, section.Bool("fuse_unk", false), section.Bool("ignore_merges", false)));
    }

    private static INormalizer ReadNormalizer(JsonSection section)
    {
        var type = section.TypeName;
        return type switch
        {
            "Sequence" => new SequenceNormalizer(section.Required("normalizers").Items().Select(ReadNormalizer).ToList()),
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "Prepend" => new PrependNormalizer(section.String("prepend")),
            "Replace" => new ReplaceNormalizer(ReadPattern(section.Required("pattern")), section.String("content")),
            "Strip" => new StripNormalizer(section.Bool("strip_left", true), section.Bool("strip_right", true)),
            _ => throw section.Required("type").Error($"normalizer type \"{type}\" is not supported"),
        };
    }

    private static IPreTokenizer ReadPreTokenizer(JsonSection section)
    {
        var type = section.TypeName;
        switch (type)
        {
            case "Sequence":
                return new SequencePreTokenizer(section.Required("pretokenizers").Items().Select(ReadPreTokenizer).ToList());
            case "ByteLevel":
                return new ByteLevelPreTokenizer(section.Bool("add_prefix_space", true), section.Bool("use_regex", true));
            case "Split":
                var behaviorSection = section.Required("behavior");
                var behavior = behaviorSection.AsString() switch
                {
                    "Isolated" => SplitBehavior.Isolated,
                    "Removed" => SplitBehavior.Removed,
                    "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
                    "MergedWithNext" => SplitBehavior.MergedWithNext,
                    "Contiguous" => SplitBehavior.Contiguous,
                    var other => throw behaviorSection.Error($"split behavior \"{other}\" is not supported"),
                };
                return new SplitPreTokenizer(ReadPattern(section.Required("pattern")), behavior, section.Bool("invert", false));
            case "Digits":
                // Digits are isolated from the rest, one by one or as runs.
                var digits = section.Bool("individual_digits", false) ? @"\p{N}" : @"\p{N}+";
                return new SplitPreTokenizer(new Regex(digits, RegexOptions.CultureInvariant), SplitBehavior.Isolated, invert: false);
            case "Metaspace":
                return new MetaspacePreTokenizer(ReadReplacementChar(section), ReadPrependScheme(section), section.Bool("split", true));
            default:
                throw section.Required("type").Error($"pre-tokenizer type \"{type}\" is not supported");
        }
    }

    private static IPostProcessor ReadPostProcessor(JsonSection section)
    {
        var type = section.TypeName;
        switch (type)
        {
            case "ByteLevel":
                return new IdentityPostProcessor();
            case "Sequence":
                return new SequencePostProcessor(section.Required("processors").Items().Select(p => ReadPostProcessor(p)).ToList());
            case "TemplateProcessing":
                return ReadTemplate(section);
            case "RobertaProcessing":
            case "BertProcessing":
                return new TemplatePostProcessor([ReadPairId(section.Required("cls"))], [ReadPairId(section.Required("sep"))]);
            default:
                throw section.Required("type").Error($"post-processor type \"{type}\" is not supported");
        }
    }

    // Roberta/Bert processors name their tokens as ["<s>", 0] pairs.
    private static int ReadPairId(JsonSection pair)
    {
        var parts = pair.Items().ToArray();
        if (parts.Length != 2) throw pair.Error("expected [token, id]");
        return parts[1].AsInt();
    }

    private static IPostProcessor ReadTemplate(JsonSection section)
    {
        var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (section.Optional("special_tokens") is { } specialTokens)
            foreach (var (name, value) in specialTokens.Properties())
                specials[name] = value.Required("ids").Items().Select(i => i.AsInt()).ToArray();
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var piece in section.Required("single").Items())
        {
            if (piece.Optional("Sequence") is { } sequence)
            {
                if (sequence.String("id") != "A") throw sequence.Error("a single-sequence template can only hold sequence A");
                seenSequence = true;
            }
            else if (piece.Optional("SpecialToken") is { } special)
            {
                var id = special.String("id");
                if (!specials.TryGetValue(id, out var ids)) throw special.Error($"special token \"{id}\" is not in special_tokens");
                (seenSequence ? suffix : prefix).AddRange(ids);
            }
            else throw piece.Error("expected a Sequence or SpecialToken piece");
        }
        return new TemplatePostProcessor(prefix, suffix);
    }

    private static IDecoder ReadDecoder(JsonSection section)
    {
        var type = section.TypeName;
        return type switch
        {
            "Sequence" => new SequenceDecoder(section.Required("decoders").Items().Select(ReadDecoder).ToList()),
            "ByteLevel" => new ByteLevelDecoder(),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Replace" => new ReplaceDecoder(ReadLiteralPattern(section.Required("pattern")), section.String("content")),
            "Strip" => new StripDecoder(ReadSingleChar(section.Required("content")), section.Required("start").AsInt(), section.Required("stop").AsInt()),
            "Metaspace" => new MetaspaceDecoder(ReadReplacementChar(section), ReadPrependScheme(section) != PrependScheme.Never),
            _ => throw section.Required("type").Error($"decoder type \"{type}\" is not supported"),
        };
    }

    /// <summary>A pattern is {"String": literal} or {"Regex": Oniguruma-style regex}; .NET runs the regexes these files use.</summary>
    private static Regex ReadPattern(JsonSection pattern)
    {
        if (pattern.OptionalString("String") is { } literal) return new Regex(Regex.Escape(literal), RegexOptions.CultureInvariant);
        var regex = pattern.Required("Regex");
        try
        {
            return new Regex(regex.AsString(), RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw new TokenizerLoadException(regex.FilePath, regex.Path, $"regex not understood by .NET: {e.Message}", e);
        }
    }

    private static string ReadLiteralPattern(JsonSection pattern) =>
        pattern.OptionalString("String") ?? throw pattern.Error("only literal {\"String\": ...} patterns are supported in decoders");

    private static char ReadSingleChar(JsonSection section)
    {
        var text = section.AsString();
        return text.Length == 1 ? text[0] : throw section.Error($"expected one character, found \"{text}\"");
    }

    private static char ReadReplacementChar(JsonSection section) =>
        section.Optional("replacement") is { } r ? ReadSingleChar(r) : '▁';

    private static PrependScheme ReadPrependScheme(JsonSection section)
    {
        if (section.Optional("prepend_scheme") is { } scheme)
            return scheme.AsString() switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                var other => throw scheme.Error($"prepend_scheme \"{other}\" is not supported"),
            };
        return section.Bool("add_prefix_space", true) ? PrependScheme.Always : PrependScheme.Never;
    }
}

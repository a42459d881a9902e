using System.Text;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>tokenizer.json's "decoder": turns the token strings of an id sequence back into text pieces.</summary>
internal interface IDecoder
{
    List<string> Decode(List<string> tokens);
}

/// <summary>ByteLevel: each token's characters are bytes again; a token with a character outside the alphabet
/// (an added token like "你好") keeps its own UTF-8. Invalid UTF-8 becomes U+FFFD, as from_utf8_lossy.</summary>
internal sealed record ByteLevelDecoder : IDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var start = bytes.Count;
            var mapped = true;
            foreach (var c in token)
            {
                if (ByteLevelAlphabet.TryCharToByte(c, out var b)) bytes.Add(b);
                else { mapped = false; break; }
            }
            if (mapped) continue;
            bytes.RemoveRange(start, bytes.Count - start);
            bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        return [Encoding.UTF8.GetString(bytes.ToArray())];
    }
}

internal sealed record ReplaceDecoder(string Pattern, string Content) : IDecoder
{
    public List<string> Decode(List<string> tokens) => tokens.Select(t => t.Replace(Pattern, Content)).ToList();
}

/// <summary>ByteFallback: runs of &lt;0xNN&gt; tokens become the text of their bytes (U+FFFD per byte when invalid).</summary>
internal sealed record ByteFallbackDecoder : IDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public List<string> Decode(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByteToken(token, out var b))
            {
                pending.Add(b);
                continue;
            }
            Flush();
            output.Add(token);
        }
        Flush();
        return output;

        void Flush()
        {
            if (pending.Count == 0) return;
            try
            {
                output.Add(StrictUtf8.GetString(pending.ToArray()));
            }
            catch (DecoderFallbackException)
            {
                for (var i = 0; i < pending.Count; i++) output.Add("\uFFFD");
            }
            pending.Clear();
        }
    }

    internal static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }
}

internal sealed record FuseDecoder : IDecoder
{
    public List<string> Decode(List<string> tokens) => [string.Concat(tokens)];
}

/// <summary>Strip: removes up to Start leading and Stop trailing occurrences of Content from each token.</summary>
internal sealed record StripDecoder(char Content, int Start, int Stop) : IDecoder
{
    public List<string> Decode(List<string> tokens) => tokens.Select(StripOne).ToList();

    private string StripOne(string token)
    {
        var from = 0;
        while (from < Start && from < token.Length && token[from] == Content) from++;
        var to = token.Length;
        while (token.Length - to < Stop && to > from && token[to - 1] == Content) to--;
        return token[from..to];
    }
}

/// <summary>Metaspace: "▁" back to spaces; the first token loses the space the pre-tokenizer prepended.</summary>
internal sealed record MetaspaceDecoder(char Replacement, bool StripFirstSpace) : IDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var text = tokens[i].Replace(Replacement, ' ');
            if (i == 0 && StripFirstSpace && text.StartsWith(' ')) text = text[1..];
            output.Add(text);
        }
        return output;
    }
}

internal sealed record SequenceDecoder(IReadOnlyList<IDecoder> Steps) : IDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        foreach (var step in Steps) tokens = step.Decode(tokens);
        return tokens;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// A canonical form of Jinja source in which templates that differ only in layout compare equal:
/// whitespace outside string literals, whitespace-control dashes and comments removed; string
/// literals re-quoted with double quotes and escapes (a literal newline and "\n" become the same);
/// <c>x['name']</c> written as <c>x.name</c>. Recognition looks for marker snippets in this form.
/// </summary>
internal static partial class JinjaFingerprint
{
    public static string Normalize(string source)
    {
        var output = new StringBuilder(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (c == '{' && i + 1 < source.Length && source[i + 1] == '#')
            {
                int end = source.IndexOf("#}", i + 2, StringComparison.Ordinal);
                i = end < 0 ? source.Length : end + 2;
            }
            else if (c is '\'' or '"')
            {
                i = AppendLiteral(source, i, output);
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && IsWhitespaceControl(source, i, output))
            {
                i++;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return SubscriptByName().Replace(output.ToString(), ".$1");
    }

    /// <summary>A dash right after "{%"/"{{" or right before "%}"/"}}" (whitespace between allowed).</summary>
    private static bool IsWhitespaceControl(string source, int dash, StringBuilder output)
    {
        int length = output.Length;
        if (length >= 2 && output[length - 2] == '{' && output[length - 1] is '%' or '{')
            return true;
        int next = dash + 1;
        while (next < source.Length && char.IsWhiteSpace(source[next])) next++;
        return next + 1 < source.Length && source[next] is '%' or '}' && source[next + 1] == '}';
    }

    /// <summary>Decodes the literal starting at <paramref name="start"/>, appends it re-encoded, returns the index after it.</summary>
    private static int AppendLiteral(string source, int start, StringBuilder output)
    {
        char quote = source[start];
        var value = new StringBuilder();
        int i = start + 1;
        while (i < source.Length && source[i] != quote)
        {
            if (source[i] == '\\' && i + 1 < source.Length)
            {
                char escaped = source[i + 1];
                value.Append(escaped switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => escaped });
                i += 2;
            }
            else
            {
                value.Append(source[i]);
                i++;
            }
        }
        output.Append('"');
        foreach (char ch in value.ToString())
        {
            output.Append(ch switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => ch.ToString(),
            });
        }
        output.Append('"');
        return Math.Min(i + 1, source.Length);
    }

    [GeneratedRegex("""\["([A-Za-z_][A-Za-z0-9_]*)"\]""")]
    private static partial Regex SubscriptByName();
}

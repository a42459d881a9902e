using System.Globalization;
using System.Text.RegularExpressions;

namespace AlignSharp.Tasks;

/// <summary>
/// The answer format and the rule that reads an answer from a completion.
/// </summary>
/// <remarks>
/// Rule: the answer is the FIRST number in the completion — an optional '-' directly before ASCII digits,
/// optionally followed by '.' and more digits. Text before or after it is ignored (" 7", "7.", " 7 apples" and
/// "The answer is 7" all read 7); "7.5" reads 7.5 (not an integer, so never correct) while "7.0" reads 7;
/// "3+4=7" reads 3. No number (or one too long for a decimal) means no answer. Thousands separators are not
/// understood ("1,000" reads 1); the task never writes them.
/// </remarks>
public static partial class ArithmeticAnswer
{
    /// <summary>The completion a correct demonstration uses: a space, then the integer (" 7").</summary>
    public static string Format(long answer) => " " + answer.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first number in <paramref name="completion"/> by the rule above, or null.</summary>
    public static decimal? FirstNumber(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Match match = NumberPattern().Match(completion);
        if (!match.Success) return null;
        return decimal.TryParse(match.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : null;
    }

    public static bool IsCorrect(string completion, long answer) => FirstNumber(completion) is decimal value && value == answer;

    [GeneratedRegex(@"-?[0-9]+(?:\.[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace AlignSharp.Tasks;

/// <summary>
/// One word problem. <see cref="Item"/> and a multiplication's container (<see cref="Action"/>) are stored in the
/// plural; <see cref="Render"/> uses the singular for a count of 1. <see cref="TryParse"/> reads a rendered prompt
/// back, which is how the true reward knows the answer from the prompt alone. <see cref="Action"/> is the verb
/// ("buys", "gives away", ...) for addition and subtraction, the container ("bags") for multiplication.
/// </summary>
public sealed partial record ArithmeticProblem(string Person, string Item, string Action, ArithmeticOperation Operation, int A, int B)
{
    public long Answer => Operation switch
    {
        ArithmeticOperation.Add => (long)A + B,
        ArithmeticOperation.Subtract => (long)A - B,
        ArithmeticOperation.Multiply => (long)A * B,
        _ => throw new InvalidOperationException($"unknown operation {Operation}"),
    };

    public string Render()
    {
        string a = A.ToString(CultureInfo.InvariantCulture), b = B.ToString(CultureInfo.InvariantCulture);
        return Operation switch
        {
            ArithmeticOperation.Add =>
                $"{Person} has {a} {ArithmeticVocabulary.Counted(A, Item)} and {Action} {b} more. How many {Item} does {Person} have?",
            ArithmeticOperation.Subtract =>
                $"{Person} has {a} {ArithmeticVocabulary.Counted(A, Item)} and {Action} {b}. How many {Item} does {Person} have left?",
            ArithmeticOperation.Multiply =>
                $"{Person} has {a} {ArithmeticVocabulary.Counted(A, Action)} with {b} {ArithmeticVocabulary.Counted(B, Item)} in each. How many {Item} does {Person} have?",
            _ => throw new InvalidOperationException($"unknown operation {Operation}"),
        };
    }

    /// <summary>Reads a prompt in one of the three fixed formats (exactly, whole string); false for anything else.</summary>
    public static bool TryParse(string prompt, out ArithmeticProblem problem)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        problem = null!;
        Match match;
        ArithmeticOperation operation;
        if ((match = AddPattern().Match(prompt)).Success) operation = ArithmeticOperation.Add;
        else if ((match = SubtractPattern().Match(prompt)).Success) operation = ArithmeticOperation.Subtract;
        else if ((match = MultiplyPattern().Match(prompt)).Success) operation = ArithmeticOperation.Multiply;
        else return false;

        if (!int.TryParse(match.Groups["a"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int a)) return false;
        if (!int.TryParse(match.Groups["b"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int b)) return false;
        string action = operation == ArithmeticOperation.Multiply && a == 1
            ? ArithmeticVocabulary.Plural(match.Groups["action"].Value)
            : match.Groups["action"].Value;
        problem = new ArithmeticProblem(match.Groups["person"].Value, match.Groups["item"].Value, action, operation, a, b);
        return true;
    }

    [GeneratedRegex(@"^(?<person>[A-Z][a-z]+) has (?<a>[0-9]+) [a-z]+ and (?<action>buys|finds|gets) (?<b>[0-9]+) more\. How many (?<item>[a-z]+) does \k<person> have\?$", RegexOptions.CultureInvariant)]
    private static partial Regex AddPattern();

    [GeneratedRegex(@"^(?<person>[A-Z][a-z]+) has (?<a>[0-9]+) [a-z]+ and (?<action>loses|sells|gives away) (?<b>[0-9]+)\. How many (?<item>[a-z]+) does \k<person> have left\?$", RegexOptions.CultureInvariant)]
    private static partial Regex SubtractPattern();

    [GeneratedRegex(@"^(?<person>[A-Z][a-z]+) has (?<a>[0-9]+) (?<action>[a-z]+) with (?<b>[0-9]+) [a-z]+ in each\. How many (?<item>[a-z]+) does \k<person> have\?$", RegexOptions.CultureInvariant)]
    private static partial Regex MultiplyPattern();
}

namespace AlignSharp.Tasks;

/// <summary>The operation a word problem asks for.</summary>
public enum ArithmeticOperation
{
    /// <summary>"Tom has 3 apples and buys 4 more. How many apples does Tom have?" → 7</summary>
    Add,

    /// <summary>"Tom has 7 apples and loses 3. How many apples does Tom have left?" → 4 (the first operand is never the smaller).</summary>
    Subtract,

    /// <summary>"Tom has 3 bags with 4 apples in each. How many apples does Tom have?" → 12</summary>
    Multiply,
}

namespace AlignSharp.Text.TokenizerJson;

/// <summary>
/// GPT-2's reversible byte ↔ printable-character map (bytes_to_unicode): printable Latin-1 bytes map
/// to themselves, the rest to U+0100 onwards, so every byte sequence is a string of visible characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte(ByteToCharTable);

    public static char ByteToChar(byte b) => ByteToCharTable[b];

    public static bool TryCharToByte(char c, out byte b) => CharToByteTable.TryGetValue(c, out b);

    /// <summary>UTF-8 bytes of <paramref name="text"/>, each written as its byte-level character.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToCharTable[bytes[i]];
        return new string(chars);
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++) map[byteToChar[b]] = (byte)b;
        return map;
    }
}

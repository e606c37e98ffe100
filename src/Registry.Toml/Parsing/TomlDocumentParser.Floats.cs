using System.Globalization;

namespace Registry.Toml;

/// <summary>float = float-int-part ( exp / frac [ exp ] ): checked by the grammar, then read by the BCL for correct rounding.</summary>
internal ref partial struct TomlDocumentParser
{
    private readonly double ParseFloat(ReadOnlySpan<byte> token, int offset)
    {
        var i = token[0] is (byte)'+' or (byte)'-' ? 1 : 0;
        var intStart = i;
        i = ScanDigits(token, i, offset, "float");
        if (token[intStart] == '0' && i > intStart + 1)
        {
            throw Error(offset + intStart, $"invalid float '{Text(token)}': leading zeros are not allowed");
        }

        if (i < token.Length && token[i] == '.')
        {
            i = ScanDigits(token, i + 1, offset, "float");
        }

        if (i < token.Length && token[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < token.Length && token[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            i = ScanDigits(token, i, offset, "float");
        }

        if (i != token.Length)
        {
            throw Error(offset + i, $"invalid float '{Text(token)}': unexpected {Describe(offset + i)}");
        }

        Span<byte> digits = token.Length <= 128 ? stackalloc byte[128] : new byte[token.Length];
        var length = 0;
        foreach (var b in token)
        {
            if (b != '_')
            {
                digits[length++] = b;
            }
        }

        var value = double.Parse(digits[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw Error(offset, $"float '{Text(token)}' is out of range for a 64-bit float (write inf for infinity)");
        }

        return value;
    }
}

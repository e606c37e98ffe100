// RFC 8785 (JCS) output for the registry's integers-only JSON profile (SPEC §1).
// Strings are escaped exactly as ECMAScript JSON.stringify does (RFC 8785 §3.2.2.2): '"' and '\\',
// the short escapes \b \f \n \r \t, other controls below U+0020 as \u00xx with lowercase hex, and
// every other code point as raw UTF-8. Numbers are integers written in plain decimal.
// The writer does not sort: callers emit object members in ascending UTF-16 order of their names.
using System.Buffers;
using System.Text;

namespace Registry.Core.Json;

/// <summary>Writes canonical JSON bytes. Not thread-safe; one writer per document.</summary>
public sealed class CanonicalJsonWriter
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArrayBufferWriter<byte> _buffer;
    private ulong _hasMembers;
    private int _depth;
    private bool _afterName;

    /// <summary>Creates a writer with an initial capacity.</summary>
    public CanonicalJsonWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>The bytes written so far, without a copy (valid until the next write).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Starts an object.</summary>
    public void WriteStartObject() => Open((byte)'{');

    /// <summary>Ends an object.</summary>
    public void WriteEndObject() => Close((byte)'}');

    /// <summary>Starts an array.</summary>
    public void WriteStartArray() => Open((byte)'[');

    /// <summary>Ends an array.</summary>
    public void WriteEndArray() => Close((byte)']');

    /// <summary>Writes a member name; the next call writes its value.</summary>
    public void WritePropertyName(string name)
    {
        BeforeValue();
        WriteQuoted(name);
        WriteByte((byte)':');
        _afterName = true;
    }

    /// <summary>Writes a member name given as its canonical UTF-8 text without quotes (no character needs escaping).</summary>
    internal void WriteRawPropertyName(ReadOnlySpan<byte> canonicalName)
    {
        BeforeValue();
        WriteByte((byte)'"');
        WriteAscii(canonicalName);
        WriteAscii("\":"u8);
        _afterName = true;
    }

    /// <summary>Writes a string value.</summary>
    public void WriteString(string value)
    {
        BeforeValue();
        WriteQuoted(value);
    }

    /// <summary>Writes a member with a string value.</summary>
    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteString(value);
    }

    /// <summary>Writes an integer value (must be within ±(2^53-1)).</summary>
    public void WriteInteger(long value)
    {
        if (value is > CanonicalJson.MaxSafeInteger or < -CanonicalJson.MaxSafeInteger)
        {
            throw new CanonicalJsonException($"{value} is outside the integer range ±(2^53-1).");
        }

        BeforeValue();
        var span = _buffer.GetSpan(20);
        _ = value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _buffer.Advance(written);
    }

    /// <summary>Writes a member with an integer value.</summary>
    public void WriteInteger(string name, long value)
    {
        WritePropertyName(name);
        WriteInteger(value);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void WriteBoolean(bool value)
    {
        BeforeValue();
        WriteAscii(value ? "true"u8 : "false"u8);
    }

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull()
    {
        BeforeValue();
        WriteAscii("null"u8);
    }

    /// <summary>Writes a value that is already canonical JSON (for example, descriptor attributes).</summary>
    public void WriteCanonical(ReadOnlySpan<byte> canonicalValue)
    {
        BeforeValue();
        WriteAscii(canonicalValue);
    }

    private void Open(byte token)
    {
        BeforeValue();
        WriteByte(token);
        _depth++;
        if (_depth > 63)
        {
            throw new CanonicalJsonException("Nesting is deeper than the writer supports.");
        }

        _hasMembers &= ~(1UL << _depth);
    }

    private void Close(byte token)
    {
        _depth--;
        WriteByte(token);
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        var bit = 1UL << _depth;
        if ((_hasMembers & bit) != 0)
        {
            WriteByte((byte)',');
        }

        _hasMembers |= bit;
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void WriteAscii(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    private void WriteQuoted(string value)
    {
        WriteByte((byte)'"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            WriteUtf8(value.AsSpan(start, i - start));
            WriteEscape(c);
            start = i + 1;
        }

        WriteUtf8(value.AsSpan(start));
        WriteByte((byte)'"');
    }

    private void WriteUtf8(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        try
        {
            var span = _buffer.GetSpan(s_strictUtf8.GetMaxByteCount(chars.Length));
            _buffer.Advance(s_strictUtf8.GetBytes(chars, span));
        }
        catch (EncoderFallbackException ex)
        {
            throw new CanonicalJsonException("A string holds an unpaired UTF-16 surrogate, which has no UTF-8 form.", ex);
        }
    }

    private void WriteEscape(char c)
    {
        switch (c)
        {
            case '"': WriteAscii("\\\""u8); break;
            case '\\': WriteAscii("\\\\"u8); break;
            case '\b': WriteAscii("\\b"u8); break;
            case '\f': WriteAscii("\\f"u8); break;
            case '\n': WriteAscii("\\n"u8); break;
            case '\r': WriteAscii("\\r"u8); break;
            case '\t': WriteAscii("\\t"u8); break;
            default:
                var span = _buffer.GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = HexLower(c >> 4);
                span[5] = HexLower(c & 0xF);
                _buffer.Advance(6);
                break;
        }
    }

    private static byte HexLower(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}

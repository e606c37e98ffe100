using System.Diagnostics.CodeAnalysis;

namespace Registry.Toml;

/// <summary>The kinds of value a TOML 1.0.0 document can hold.</summary>
public enum TomlValueKind
{
    /// <summary>A string in any of the four string forms (<see cref="TomlString"/>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The TOML 1.0.0 specification names this type.")]
    String,

    /// <summary>A 64-bit signed integer written in decimal, hex, octal or binary (<see cref="TomlInteger"/>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The TOML 1.0.0 specification names this type.")]
    Integer,

    /// <summary>An IEEE 754 binary64 float, including inf and nan (<see cref="TomlFloat"/>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The TOML 1.0.0 specification names this type.")]
    Float,

    /// <summary><c>true</c> or <c>false</c> (<see cref="TomlBoolean"/>).</summary>
    Boolean,

    /// <summary>A date-time with a UTC offset (<see cref="TomlOffsetDateTime"/>).</summary>
    OffsetDateTime,

    /// <summary>A date-time without an offset (<see cref="TomlLocalDateTime"/>).</summary>
    LocalDateTime,

    /// <summary>A calendar date (<see cref="TomlLocalDate"/>).</summary>
    LocalDate,

    /// <summary>A time of day (<see cref="TomlLocalTime"/>).</summary>
    LocalTime,

    /// <summary>An array, either an inline array or an array of tables (<see cref="TomlArray"/>).</summary>
    Array,

    /// <summary>A table: the document root, a [table], an inline table or a dotted-key table (<see cref="TomlTable"/>).</summary>
    Table,
}

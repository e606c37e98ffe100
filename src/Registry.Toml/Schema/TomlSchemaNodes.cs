using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Registry.Toml.Schema;

/// <summary>The TOML shape a CLR type expects, as derived by <see cref="TomlSchemaBuilder"/>.</summary>
internal abstract class TomlSchemaNode
{
    /// <summary>What the node expects, for messages: "an integer", "a table".</summary>
    public abstract string Expected { get; }
}

/// <summary>How a scalar CLR type reads its TOML value.</summary>
internal enum TomlScalarKind
{
    String,
    Boolean,
    Integer,
    Float,
    Enum,

    /// <summary>Another type the binder reads from text through its <see cref="TypeConverter"/> (Uri, TimeSpan, Guid, DateTime...).</summary>
    Converted,
}

internal sealed class TomlScalarSchema(Type clrType, TomlScalarKind kind) : TomlSchemaNode
{
    public Type ClrType { get; } = clrType;

    public TomlScalarKind Kind { get; } = kind;

    /// <summary>For <see cref="TomlScalarKind.Integer"/>: the CLR type's range, clamped to what a TOML integer can hold.</summary>
    public long Minimum { get; init; }

    public long Maximum { get; init; }

    /// <summary>For <see cref="TomlScalarKind.Float"/>: the largest finite magnitude the CLR type holds.</summary>
    public double MaximumMagnitude { get; init; } = double.MaxValue;

    /// <summary>For <see cref="TomlScalarKind.Enum"/>: the names the binder accepts (case-insensitively).</summary>
    public IReadOnlyList<string> EnumNames { get; init; } = [];

    public bool IsFlags { get; init; }

    public TypeConverter? Converter { get; init; }

    public override string Expected => Kind switch
    {
        TomlScalarKind.String => "a string",
        TomlScalarKind.Boolean => "a boolean (true or false)",
        TomlScalarKind.Integer => "an integer",
        TomlScalarKind.Float => "a number",
        TomlScalarKind.Enum => $"a string, one of: {string.Join(", ", EnumNames)}",
        _ => $"a {ClrType.Name} written as a string",
    };
}

/// <summary>A class of options: a TOML table whose keys are the class's properties.</summary>
internal sealed class TomlTableSchema(Type clrType, Func<IReadOnlyDictionary<string, TomlPropertySchema>> properties) : TomlSchemaNode
{
    // Built on first use, so that a class that refers to itself (directly or not) does not recurse forever.
    private readonly Lazy<IReadOnlyDictionary<string, TomlPropertySchema>> _properties = new(properties);

    public Type ClrType { get; } = clrType;

    /// <summary>The properties by key, matched case-insensitively as configuration binding matches them.</summary>
    public IReadOnlyDictionary<string, TomlPropertySchema> Properties => _properties.Value;

    public override string Expected => "a table";
}

/// <summary>A list or array: a TOML array whose elements all fit <see cref="Element"/>.</summary>
internal sealed class TomlArraySchema(TomlSchemaNode element) : TomlSchemaNode
{
    public TomlSchemaNode Element { get; } = element;

    public override string Expected => "an array";
}

/// <summary>A dictionary with string keys: a TOML table with any keys whose values fit <see cref="Value"/>.</summary>
internal sealed class TomlMapSchema(TomlSchemaNode value) : TomlSchemaNode
{
    public TomlSchemaNode Value { get; } = value;

    public override string Expected => "a table";
}

/// <summary>One property of an options class; <paramref name="Attributes"/> holds every validation attribute, Required included (it also rejects an empty string).</summary>
internal sealed record TomlPropertySchema(string Key, PropertyInfo Property, TomlSchemaNode Node, bool Required, IReadOnlyList<ValidationAttribute> Attributes);

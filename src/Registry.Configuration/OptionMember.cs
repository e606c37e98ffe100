using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>What a key's value must be, by its property's type.</summary>
internal enum OptionKind
{
    String,
    Boolean,
    Integer,
    Float,
    Enum,
    Section,
}

/// <summary>One property of an options class, as the schema checks it.</summary>
internal sealed class OptionMember
{
    /// <summary>Sections within sections; a class that contains itself would otherwise recurse forever.</summary>
    private const int MaxDepth = 8;

    private OptionMember(string key, string keyPath, PropertyInfo property)
    {
        Key = key;
        KeyPath = keyPath;
        Property = property;
        Range = property.GetCustomAttribute<RangeAttribute>();
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        (Kind, Minimum, Maximum) = type switch
        {
            _ when type == typeof(string) => (OptionKind.String, 0L, 0L),
            _ when type == typeof(bool) => (OptionKind.Boolean, 0L, 0L),
            _ when type == typeof(int) => (OptionKind.Integer, int.MinValue, int.MaxValue),
            _ when type == typeof(long) => (OptionKind.Integer, long.MinValue, long.MaxValue),
            _ when type == typeof(uint) => (OptionKind.Integer, uint.MinValue, uint.MaxValue),
            _ when type == typeof(ulong) => (OptionKind.Integer, 0L, long.MaxValue), // a TOML integer is signed 64-bit
            _ when type == typeof(double) => (OptionKind.Float, 0L, 0L),
            _ when type.IsEnum => (OptionKind.Enum, 0L, 0L),
            _ when type.IsClass && type.GetConstructor(Type.EmptyTypes) is not null => (OptionKind.Section, 0L, 0L),
            _ => throw new NotSupportedException(
                $"{property.DeclaringType?.Name}.{property.Name}: options keys may be string, bool, int, long, uint, ulong, double, an enum or an options class, not {property.PropertyType}"),
        };
        Type = type;
        Section = Kind == OptionKind.Section
            ? keyPath.Count(c => c == '.') < MaxDepth ? OptionSection.For(type, keyPath) : throw new NotSupportedException($"{keyPath}: options sections nest at most {MaxDepth} deep (does {type.Name} contain itself?)")
            : null;
    }

    /// <summary>The key as the options class names it (<see cref="ConfigurationKeyNameAttribute"/>, else the property name).</summary>
    public string Key { get; }

    public string KeyPath { get; }

    public PropertyInfo Property { get; }

    public Type Type { get; }

    public OptionKind Kind { get; }

    /// <summary>For integers: the CLR type's range.</summary>
    public long Minimum { get; }

    public long Maximum { get; }

    public RangeAttribute? Range { get; }

    /// <summary>For a section: its keys.</summary>
    public OptionSection? Section { get; }

    /// <summary>"an integer", "a boolean (true or false)", "one of: a, b"...</summary>
    public string Expected => Kind switch
    {
        OptionKind.String => "a string",
        OptionKind.Boolean => "a boolean (true or false)",
        OptionKind.Integer => "an integer",
        OptionKind.Float => "a number",
        OptionKind.Enum => $"one of: {string.Join(", ", Enum.GetNames(Type))}",
        _ => "a table",
    };

    public static OptionMember Create(PropertyInfo property, string parentKeyPath)
    {
        var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
        return new OptionMember(key, parentKeyPath.Length == 0 ? key : parentKeyPath + "." + key, property);
    }
}

/// <summary>An options class: its keys, matched case-insensitively as configuration binding matches them.</summary>
internal sealed class OptionSection
{
    private OptionSection(Type type, string keyPath)
    {
        Type = type;
        KeyPath = keyPath;

        // The binder sets public properties with a public setter or init accessor; computed ones (no setter) are not keys.
        Members = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .Select(p => OptionMember.Create(p, keyPath))];
        ByKey = Members.ToDictionary(m => m.Key, StringComparer.OrdinalIgnoreCase);
    }

    public Type Type { get; }

    /// <summary>The section's TOML key (empty for the top level).</summary>
    public string KeyPath { get; }

    /// <summary>Declaration order.</summary>
    public IReadOnlyList<OptionMember> Members { get; }

    public IReadOnlyDictionary<string, OptionMember> ByKey { get; }

    /// <summary>"[limits]" or "the top level", for messages.</summary>
    public string Name => KeyPath.Length == 0 ? "the top level" : $"[{KeyPath}]";

    public static OptionSection For(Type type, string keyPath) => new(type, keyPath);
}

using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Registry.Toml.Schema;

/// <summary>
/// Derives the TOML shape of an options type by reflection, following configuration binding's rules:
/// public properties with a public setter or init accessor (or a get-only collection or class the
/// binder fills in place), named by <see cref="ConfigurationKeyNameAttribute"/> or the property name.
/// Schemas are cached per type; the cache is thread-safe.
/// </summary>
internal static class TomlSchemaBuilder
{
    private static readonly ConcurrentDictionary<Type, TomlSchemaNode> s_cache = new();

    public static TomlTableSchema ForOptions(Type optionsType) =>
        For(optionsType, optionsType.Name) as TomlTableSchema
        ?? throw new ArgumentException($"{optionsType} is not an options class: it would not bind from a TOML table.", nameof(optionsType));

    private static TomlSchemaNode For(Type type, string where) =>
        s_cache.TryGetValue(type, out var node) ? node : s_cache.GetOrAdd(type, Create(type, where));

    private static TomlSchemaNode Create(Type type, string where)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return new TomlScalarSchema(t, TomlScalarKind.String);
        }

        if (t == typeof(bool))
        {
            return new TomlScalarSchema(t, TomlScalarKind.Boolean);
        }

        if (t.IsEnum)
        {
            return new TomlScalarSchema(t, TomlScalarKind.Enum) { EnumNames = Enum.GetNames(t), IsFlags = t.IsDefined(typeof(FlagsAttribute)) };
        }

        if (IntegerRange(t) is var (min, max))
        {
            return new TomlScalarSchema(t, TomlScalarKind.Integer) { Minimum = min, Maximum = max };
        }

        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal))
        {
            var magnitude = t == typeof(float) ? float.MaxValue : t == typeof(decimal) ? (double)decimal.MaxValue : double.MaxValue;
            return new TomlScalarSchema(t, TomlScalarKind.Float) { MaximumMagnitude = magnitude };
        }

        if (t.IsArray)
        {
            return new TomlArraySchema(For(t.GetElementType()!, where + "[]"));
        }

        var dictionary = GenericArguments(t, typeof(IDictionary<,>)) ?? GenericArguments(t, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary[0] == typeof(string) ? new TomlMapSchema(For(dictionary[1], where + "[key]")) : throw Unsupported(type, where);
        }

        if (GenericArguments(t, typeof(IEnumerable<>)) is [var elementType])
        {
            return new TomlArraySchema(For(elementType, where + "[]"));
        }

        var converter = TypeDescriptor.GetConverter(t);
        if (converter.GetType() != typeof(TypeConverter) && converter.CanConvertFrom(typeof(string)))
        {
            return new TomlScalarSchema(t, TomlScalarKind.Converted) { Converter = converter };
        }

        if ((t.IsClass || (t.IsValueType && !t.IsPrimitive)) && !t.IsAbstract && t != typeof(object))
        {
            return new TomlTableSchema(t, () => Properties(t));
        }

        throw Unsupported(type, where);
    }

    private static Dictionary<string, TomlPropertySchema> Properties([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        var properties = new Dictionary<string, TomlPropertySchema>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var bindable = property.GetIndexParameters().Length == 0
                && property.GetMethod is { IsPublic: true }
                && (property.SetMethod is { IsPublic: true } || (!property.PropertyType.IsValueType && property.PropertyType != typeof(string)));
            if (!bindable)
            {
                continue;
            }

            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            var schema = new TomlPropertySchema(
                key,
                property,
                For(property.PropertyType, $"{type.Name}.{property.Name}"),
                property.IsDefined(typeof(RequiredAttribute), inherit: true),
                [.. property.GetCustomAttributes<ValidationAttribute>(inherit: true)]);
            if (!properties.TryAdd(key, schema))
            {
                throw new InvalidOperationException($"{type.Name}.{property.Name} and {type.Name}.{properties[key].Property.Name} both bind to the key '{key}' (keys are case-insensitive).");
            }
        }

        return properties;
    }

    private static (long Min, long Max)? IntegerRange(Type t) => Type.GetTypeCode(t) switch
    {
        TypeCode.SByte => (sbyte.MinValue, sbyte.MaxValue),
        TypeCode.Byte => (byte.MinValue, byte.MaxValue),
        TypeCode.Int16 => (short.MinValue, short.MaxValue),
        TypeCode.UInt16 => (ushort.MinValue, ushort.MaxValue),
        TypeCode.Int32 => (int.MinValue, int.MaxValue),
        TypeCode.UInt32 => (uint.MinValue, uint.MaxValue),
        TypeCode.Int64 => (long.MinValue, long.MaxValue),

        // TOML integers are signed 64-bit, so a ulong option can only be given up to long.MaxValue.
        TypeCode.UInt64 => (0, long.MaxValue),
        _ => null,
    };

    /// <summary>The type arguments of <paramref name="definition"/> when <paramref name="type"/> is or implements it.</summary>
    private static Type[]? GenericArguments(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type.GetGenericArguments();
        }

        var found = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
        return found?.GetGenericArguments();
    }

    private static NotSupportedException Unsupported(Type type, string where) =>
        new($"The TOML schema cannot describe {where} of type {type}: supported are strings, booleans, integers, floating-point numbers, enums, types with a string TypeConverter, arrays and lists, string-keyed dictionaries and option classes.");
}

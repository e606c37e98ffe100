using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Registry.Toml.Configuration;

namespace Registry.Toml.Schema;

/// <summary>Checks a TOML configuration document against the options type it will be bound to.</summary>
/// <remarks>
/// <para>
/// The options type is read by reflection as configuration binding reads it: public settable (or
/// init-only) properties, keyed by <see cref="ConfigurationKeyNameAttribute"/> or the property name and
/// matched case-insensitively. Option classes are TOML tables; arrays and lists are TOML arrays
/// (an array of tables for a list of classes); string-keyed dictionaries are tables with any keys.
/// Scalars are strings, booleans, integers (checked against the CLR type's range), floating-point
/// numbers (an integer is accepted), enums (by name) and any type with a string TypeConverter.
/// <see cref="System.ComponentModel.DataAnnotations.RequiredAttribute"/> makes a key mandatory, and
/// every other <see cref="System.ComponentModel.DataAnnotations.ValidationAttribute"/> on a scalar
/// property, <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/> above all, is applied to its value.
/// </para>
/// <para>
/// Every problem is reported, not only the first: keys the options do not have (the upstream service
/// rejects unknown fields), values of the wrong TOML type, values out of range, and missing required
/// keys, each with its key path, source and position. Thread-safe; schemas are cached per type.
/// </para>
/// </remarks>
public static class TomlSchemaValidator
{
    private const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Lists every way <paramref name="document"/> does not fit <typeparamref name="TOptions"/>.</summary>
    /// <typeparam name="TOptions">The options class the whole document binds to.</typeparam>
    /// <param name="document">The parsed document.</param>
    /// <param name="sourceName">The file name for the errors.</param>
    /// <returns>The errors in document order; empty when the document fits.</returns>
    public static IReadOnlyList<TomlValidationError> Validate<[DynamicallyAccessedMembers(Members)] TOptions>(TomlTable document, string sourceName = "TOML document")
        where TOptions : class =>
        Validate(typeof(TOptions), document, sourceName);

    /// <summary>Lists every way <paramref name="document"/> does not fit <paramref name="optionsType"/>.</summary>
    /// <param name="optionsType">The options class the whole document binds to.</param>
    /// <param name="document">The parsed document.</param>
    /// <param name="sourceName">The file name for the errors.</param>
    /// <returns>The errors in document order; empty when the document fits.</returns>
    /// <exception cref="NotSupportedException">The options type has a property of a type the schema cannot describe.</exception>
    public static IReadOnlyList<TomlValidationError> Validate([DynamicallyAccessedMembers(Members)] Type optionsType, TomlTable document, string sourceName = "TOML document")
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sourceName);
        return TomlSchemaWalker.Walk(document, TomlSchemaBuilder.ForOptions(optionsType), sourceName);
    }

    /// <summary>Lists every way each TOML document in <paramref name="configuration"/> does not fit <typeparamref name="TOptions"/>.</summary>
    /// <typeparam name="TOptions">The options class each TOML document binds to.</typeparam>
    /// <param name="configuration">A built configuration; its providers that implement <see cref="ITomlConfigurationProvider"/> are checked.</param>
    /// <returns>The errors, by provider and then in document order.</returns>
    public static IReadOnlyList<TomlValidationError> Validate<[DynamicallyAccessedMembers(Members)] TOptions>(IConfigurationRoot configuration)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return [.. configuration.Providers
            .OfType<ITomlConfigurationProvider>()
            .Where(p => p.Document is not null)
            .SelectMany(p => Validate(typeof(TOptions), p.Document!, p.SourceName))];
    }

    /// <summary>Throws one exception listing every way <paramref name="document"/> does not fit <typeparamref name="TOptions"/>.</summary>
    /// <typeparam name="TOptions">The options class the whole document binds to.</typeparam>
    /// <param name="document">The parsed document.</param>
    /// <param name="sourceName">The file name for the errors.</param>
    /// <exception cref="TomlValidationException">The document does not fit; <see cref="TomlValidationException.Errors"/> lists why.</exception>
    public static void ThrowIfInvalid<[DynamicallyAccessedMembers(Members)] TOptions>(TomlTable document, string sourceName = "TOML document")
        where TOptions : class => ThrowIfAny(Validate<TOptions>(document, sourceName));

    /// <summary>
    /// At start-up: throws one exception listing every way the TOML files in <paramref name="configuration"/>
    /// do not fit <typeparamref name="TOptions"/>, naming each key with its file, line and column.
    /// </summary>
    /// <typeparam name="TOptions">The options class each TOML document binds to.</typeparam>
    /// <param name="configuration">A built configuration.</param>
    /// <returns>The same configuration, for chaining.</returns>
    /// <exception cref="TomlValidationException">A TOML document does not fit; <see cref="TomlValidationException.Errors"/> lists why.</exception>
    public static IConfigurationRoot ValidateTomlSchema<[DynamicallyAccessedMembers(Members)] TOptions>(this IConfigurationRoot configuration)
        where TOptions : class
    {
        ThrowIfAny(Validate<TOptions>(configuration));
        return configuration;
    }

    private static void ThrowIfAny(IReadOnlyList<TomlValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw new TomlValidationException(errors);
        }
    }
}

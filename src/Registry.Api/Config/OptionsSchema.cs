using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Registry.Api.Config;

/// <summary>
/// Checks a bound configuration against <see cref="RegistryOptions"/>: every key must name a property
/// (by its <see cref="ConfigurationKeyNameAttribute"/>), every value must convert to the property's type,
/// and <see cref="RangeAttribute"/> limits must hold. Covers every source (file, <c>SVCR_*</c> variables,
/// flags) because it walks the merged <see cref="IConfiguration"/>; values the TOML file set are skipped
/// here because the TOML schema validator reports them with their line and column.
/// </summary>
public static class OptionsSchema
{
    /// <summary>All problems, each naming its key (as <c>section.key</c>) and where it came from.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, Func<string, string> describeSource, Func<string, bool> checkedElsewhere)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(describeSource);
        ArgumentNullException.ThrowIfNull(checkedElsewhere);
        var errors = new List<string>();
        CheckSection(configuration, typeof(RegistryOptions), string.Empty, (describeSource, checkedElsewhere), errors);
        return errors;
    }

    private static void CheckSection(IConfiguration section, Type type, string prefix, (Func<string, string> Describe, Func<string, bool> Skip) sources, List<string> errors)
    {
        var describe = sources.Describe;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (FromFileOnly(child, sources.Skip))
            {
                continue;
            }

            var key = child.Key.ToLowerInvariant();
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (!properties.TryGetValue(child.Key, out var property))
            {
                errors.Add($"unknown key '{path}' ({describe(child.Path)}); known keys here: {string.Join(", ", properties.Keys.Order())}");
                continue;
            }

            var propertyType = property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string))
            {
                if (child.Value is not null)
                {
                    errors.Add($"'{path}' must be a table/section, not a value ({describe(child.Path)})");
                }
                else
                {
                    CheckSection(child, propertyType, path, sources, errors);
                }

                continue;
            }

            if (child.Value is null)
            {
                errors.Add($"'{path}' must be a {Describe(propertyType)}, not a table ({describe(child.Path)})");
                continue;
            }

            CheckValue(property, path, child.Value, describe(child.Path), errors);
        }
    }

    private static bool FromFileOnly(IConfigurationSection section, Func<string, bool> skip) =>
        section.Value is not null ? skip(section.Path) : section.GetChildren().All(c => FromFileOnly(c, skip));

    private static void CheckValue(PropertyInfo property, string path, string text, string where, List<string> errors)
    {
        var type = property.PropertyType;
        object? value = null;
        var ok = type == typeof(string)
            || (type == typeof(bool) && bool.TryParse(text, out _))
            || (type == typeof(int) && TryInt(text, out value));
        if (!ok)
        {
            errors.Add($"'{path}' must be a {Describe(type)}, got '{text}' ({where})");
            return;
        }

        if (value is int number && property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(number))
        {
            errors.Add($"'{path}' = {number} is out of range {range.Minimum}..{range.Maximum} ({where})");
        }
    }

    private static bool TryInt(string text, out object? value)
    {
        var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed);
        value = parsed;
        return ok;
    }

    private static string Describe(Type type) => type == typeof(bool) ? "boolean" : type == typeof(int) ? "integer" : "string";
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Registry.Configuration.Toml;

namespace Registry.Configuration;

/// <summary>
/// The keys an options class accepts, read by reflection as configuration binding reads it (public settable or
/// init-only properties, keyed by <see cref="ConfigurationKeyNameAttribute"/> and matched case-insensitively;
/// option classes are sections), and the check of a built configuration against them: unknown keys, values of
/// the wrong type, and values outside the type's range or the property's
/// <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>.
/// </summary>
/// <remarks>
/// A TOML file is checked over its syntax tree, so each problem names <c>file:line:column</c> and the TOML type
/// found; every other layer (environment variables, flags) is checked by the text it supplies, naming where it
/// came from. Every problem is reported, not only the first. Schemas are cached per type; thread-safe.
/// </remarks>
public sealed partial class OptionsSchema
{
    private static readonly ConcurrentDictionary<Type, OptionsSchema> s_cache = new();
    private readonly OptionSection _root;

    private OptionsSchema(Type optionsType)
    {
        _root = OptionSection.For(optionsType, string.Empty);
        var keys = new List<OptionKey>();
        AddKeys(_root, Activator.CreateInstance(optionsType), keys);
        Keys = keys;
    }

    /// <summary>svc-registry's own options, <see cref="RegistryOptions"/>.</summary>
    public static OptionsSchema Registry => For(typeof(RegistryOptions));

    /// <summary>Every leaf key with its built-in default, in declaration order.</summary>
    public IReadOnlyList<OptionKey> Keys { get; }

    /// <summary>The schema of an options class (a class with a public parameterless constructor).</summary>
    /// <exception cref="NotSupportedException">A property has a type the schema does not describe.</exception>
    public static OptionsSchema For(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        return s_cache.GetOrAdd(optionsType, t => new OptionsSchema(t));
    }

    /// <summary>Every problem in <paramref name="configuration"/>: its TOML files in full, then each value another layer wins with.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <param name="describeSource">Names the layer a (non-TOML) configuration path's value came from; by default the provider's type.</param>
    /// <returns>The problems, TOML files first, each in document order; empty when everything fits.</returns>
    public IReadOnlyList<ConfigurationProblem> Check(IConfigurationRoot configuration, Func<string, string>? describeSource = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        describeSource ??= path => configuration.Providers.LastOrDefault(p => p.TryGet(path, out _))?.GetType().Name ?? "default";
        var problems = new List<ConfigurationProblem>();
        foreach (var document in configuration.Providers.OfType<TomlConfigurationProvider>().Select(p => p.Document).OfType<TomlDocument>())
        {
            CheckToml(document, problems);
        }

        CheckLayers(configuration, configuration, _root, describeSource, problems);
        return problems;
    }

    /// <summary>The member for <paramref name="key"/> in <paramref name="section"/>, or null after reporting it unknown.</summary>
    private static OptionMember? Lookup(OptionSection section, string key, string keyPath, string where, List<ConfigurationProblem> problems)
    {
        if (section.ByKey.TryGetValue(key, out var member))
        {
            return member;
        }

        problems.Add(new(where, $"unknown key '{keyPath}'{Suggestion(key, section)}; {section.Name} accepts: {string.Join(", ", section.Members.Select(m => m.Key))}"));
        return null;
    }

    private static void CheckRange(OptionMember member, string keyPath, object value, string where, List<ConfigurationProblem> problems)
    {
        if (value is long integer && (integer < member.Minimum || integer > member.Maximum))
        {
            problems.Add(new(where, $"'{keyPath}' = {integer} is out of range for {member.Type.Name} ({member.Minimum}..{member.Maximum})"));
        }
        else if (member.Range is { } range && !IsValid(range, value))
        {
            problems.Add(new(where, $"'{keyPath}' = {Convert.ToString(value, CultureInfo.InvariantCulture)} is out of range {range.Minimum}..{range.Maximum}"));
        }
    }

    private static bool IsValid(System.ComponentModel.DataAnnotations.RangeAttribute range, object value)
    {
        try
        {
            return range.IsValid(value);
        }
        catch (OverflowException)
        {
            // RangeAttribute converts to its operand type: a value that does not fit that type lies outside the range.
            return false;
        }
    }

    private static void AddKeys(OptionSection section, object? defaults, List<OptionKey> keys)
    {
        foreach (var member in section.Members)
        {
            var value = defaults is null ? null : member.Property.GetValue(defaults);
            if (member.Section is { } child)
            {
                AddKeys(child, value, keys);
            }
            else
            {
                keys.Add(new OptionKey(member.KeyPath.Replace('.', ':'), member.KeyPath, member.Property, value));
            }
        }
    }

    /// <summary>" (did you mean 'max_inflight'?)" when a known key is within two edits of the unknown one.</summary>
    private static string Suggestion(string key, OptionSection section)
    {
        var best = section.Members
            .Select(m => (m.Key, Distance: EditDistance(key.ToUpperInvariant(), m.Key.ToUpperInvariant())))
            .Where(c => c.Distance <= Math.Min(2, key.Length / 2))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Key is null ? string.Empty : $" (did you mean '{best.Key}'?)";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Registry.Configuration;

/// <summary>One leaf key of an options class, as <see cref="OptionsSchema.Keys"/> lists it.</summary>
/// <param name="Path">The configuration path, <c>limits:max_inflight</c>.</param>
/// <param name="KeyPath">The TOML key, <c>limits.max_inflight</c>.</param>
/// <param name="Property">The options property it binds to.</param>
/// <param name="Default">The property's value in a new options object (the built-in default).</param>
public sealed record OptionKey(string Path, string KeyPath, PropertyInfo Property, object? Default)
{
    /// <summary>The section, <c>limits</c> (empty for a top-level key).</summary>
    public string Section => KeyPath.Contains('.', StringComparison.Ordinal) ? KeyPath[..KeyPath.LastIndexOf('.')] : string.Empty;

    /// <summary>The key within its section, <c>max_inflight</c>.</summary>
    public string Name => KeyPath[(KeyPath.LastIndexOf('.') + 1)..];

    /// <summary>The allowed range, when the property carries a <see cref="RangeAttribute"/>.</summary>
    public RangeAttribute? Range => Property.GetCustomAttribute<RangeAttribute>();
}

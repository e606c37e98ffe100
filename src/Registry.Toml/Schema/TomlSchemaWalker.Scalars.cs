using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Registry.Toml.Schema;

/// <summary>Scalar checks: TOML type, the CLR type's range, enum names, converters, then validation attributes.</summary>
internal sealed partial class TomlSchemaWalker
{
    private void Scalar(TomlValue value, TomlScalarSchema schema, string path, TomlPosition position, TomlPropertySchema? property)
    {
        object? clrValue = (schema.Kind, value) switch
        {
            (TomlScalarKind.String, TomlString s) => s.Value,
            (TomlScalarKind.Boolean, TomlBoolean b) => b.Value,
            (TomlScalarKind.Integer, TomlInteger i) => Integer(i.Value, schema, path, position),
            (TomlScalarKind.Float, TomlFloat f) => Float(f.Value, schema, path, position),
            (TomlScalarKind.Float, TomlInteger i) => Float(i.Value, schema, path, position),
            (TomlScalarKind.Enum, TomlString s) => EnumValue(s.Value, schema, path, position),
            (TomlScalarKind.Converted, TomlString or TomlOffsetDateTime or TomlLocalDateTime or TomlLocalDate or TomlLocalTime) => Converted(value.ToString()!, schema, path, position),
            _ => WrongTypeValue(value, schema, path, position),
        };

        if (clrValue is null || property is null)
        {
            return;
        }

        foreach (var attribute in property.Attributes)
        {
            if (IsValid(attribute, clrValue))
            {
                continue;
            }

            if (attribute is RequiredAttribute)
            {
                Add(TomlValidationErrorKind.InvalidValue, path, position, $"key '{path}' is required and must not be empty");
            }
            else if (attribute is RangeAttribute range)
            {
                Add(TomlValidationErrorKind.OutOfRange, path, position, $"key '{path}' is {value}, out of range: must be {RangeText(range)}");
            }
            else
            {
                Add(TomlValidationErrorKind.InvalidValue, path, position, $"key '{path}' is {value}, which is not valid: {attribute.FormatErrorMessage(path)}");
            }
        }
    }

    private object? WrongTypeValue(TomlValue value, TomlScalarSchema schema, string path, TomlPosition position)
    {
        WrongType(value, schema, path, position);
        return null;
    }

    private object? Integer(long value, TomlScalarSchema schema, string path, TomlPosition position)
    {
        if (value < schema.Minimum || value > schema.Maximum)
        {
            Add(TomlValidationErrorKind.OutOfRange, path, position, $"key '{path}' is {value}, out of range for {schema.ClrType.Name}: must be between {schema.Minimum} and {schema.Maximum}");
            return null;
        }

        return Convert.ChangeType(value, schema.ClrType, CultureInfo.InvariantCulture);
    }

    private object? Float(double value, TomlScalarSchema schema, string path, TomlPosition position)
    {
        var representable = schema.ClrType == typeof(decimal) ? double.IsFinite(value) && Math.Abs(value) <= schema.MaximumMagnitude : double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) <= schema.MaximumMagnitude;
        if (!representable)
        {
            Add(TomlValidationErrorKind.OutOfRange, path, position, $"key '{path}' is {value.ToString(CultureInfo.InvariantCulture)}, out of range for {schema.ClrType.Name}");
            return null;
        }

        return Convert.ChangeType(value, schema.ClrType, CultureInfo.InvariantCulture);
    }

    /// <summary>Names only, matched case-insensitively like the binder; numbers are refused, since a name says what is meant.</summary>
    private object? EnumValue(string text, TomlScalarSchema schema, string path, TomlPosition position)
    {
        var parts = schema.IsFlags ? text.Split(',', StringSplitOptions.TrimEntries) : [text];
        if (parts.All(p => schema.EnumNames.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            return Enum.Parse(schema.ClrType, text, ignoreCase: true);
        }

        Add(TomlValidationErrorKind.InvalidValue, path, position, $"key '{path}' is \"{text}\", which is not one of: {string.Join(", ", schema.EnumNames)}");
        return null;
    }

    private object? Converted(string text, TomlScalarSchema schema, string path, TomlPosition position)
    {
        try
        {
            return schema.Converter!.ConvertFromInvariantString(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException or InvalidOperationException)
        {
            // Converters report bad text with any of these; the binder would fail on the same text.
            Add(TomlValidationErrorKind.InvalidValue, path, position, $"key '{path}' is \"{text}\", which is not a valid {schema.ClrType.Name}: {e.Message}");
            return null;
        }
    }

    private static bool IsValid(ValidationAttribute attribute, object value)
    {
        try
        {
            return attribute.IsValid(value);
        }
        catch (OverflowException)
        {
            // RangeAttribute converts to its operand type; a value that does not fit that type is outside the range.
            return false;
        }
    }

    private static string RangeText(RangeAttribute range) =>
        $"{(range.MinimumIsExclusive ? "greater than" : "at least")} {range.Minimum} and {(range.MaximumIsExclusive ? "less than" : "at most")} {range.Maximum}";
}

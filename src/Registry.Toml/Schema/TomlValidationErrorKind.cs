namespace Registry.Toml.Schema;

/// <summary>What is wrong with a key, as found by <see cref="TomlSchemaValidator"/>.</summary>
public enum TomlValidationErrorKind
{
    /// <summary>The key is not a property of the options type (the service would ignore it).</summary>
    UnknownKey,

    /// <summary>The value has the wrong TOML type, for example a string where an integer is expected.</summary>
    WrongType,

    /// <summary>A number lies outside its type's range or a <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>.</summary>
    OutOfRange,

    /// <summary>A value is not allowed: not a name of the enum, rejected by a validation attribute, or unreadable by the type's converter.</summary>
    InvalidValue,

    /// <summary>A key marked <see cref="System.ComponentModel.DataAnnotations.RequiredAttribute"/> is absent.</summary>
    MissingKey,
}

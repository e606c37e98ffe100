namespace Registry.Toml.Schema;

/// <summary>One problem in a TOML configuration document, located by key path, source and position.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="KeyPath">The key as a TOML author writes it, for example <c>server.port</c> or <c>peers[1].name</c>.</param>
/// <param name="SourceName">The file or other source of the document.</param>
/// <param name="Position">Where the key was written; for a missing key, where its table starts.</param>
/// <param name="Message">A sentence naming the key and what was expected.</param>
public sealed record TomlValidationError(TomlValidationErrorKind Kind, string KeyPath, string SourceName, TomlPosition Position, string Message)
{
    /// <summary>Formats the error as <c>source:line:column: message</c>, the form editors and compilers use.</summary>
    /// <returns>For example <c>/etc/ron/svc-registry.toml:12:1: unknown key 'server.prot'</c>.</returns>
    public override string ToString() => $"{SourceName}:{Position.Line}:{Position.Column}: {Message}";
}

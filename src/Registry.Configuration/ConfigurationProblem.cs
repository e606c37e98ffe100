namespace Registry.Configuration;

/// <summary>One thing wrong with the configuration: where it was set and what is wrong, naming the key.</summary>
/// <param name="Where">
/// <c>file:line:column</c> for the TOML file; <c>env SVCR_LIMITS__MAX_INFLIGHT</c>, <c>flag or environment override</c>
/// or another layer's name otherwise.
/// </param>
/// <param name="Message">For example <c>unknown key 'limits.max_inflite' (did you mean 'max_inflight'?); [limits] accepts: ...</c>.</param>
public sealed record ConfigurationProblem(string Where, string Message)
{
    /// <summary><c>where: message</c>, the form editors and compilers use.</summary>
    /// <returns>For example <c>/etc/svc-registry/svc-registry.toml:6:1: unknown key 'limits.max_inflite' ...</c>.</returns>
    public override string ToString() => $"{Where}: {Message}";
}

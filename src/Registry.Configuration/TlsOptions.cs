using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[tls]: PEM certificate and key; both set turns HTTPS on for the API listener.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM certificate (chain) file.</summary>
    [ConfigurationKeyName("cert_file")]
    public string CertFile { get; init; } = string.Empty;

    /// <summary>PEM private key file.</summary>
    [ConfigurationKeyName("key_file")]
    public string KeyFile { get; init; } = string.Empty;

    /// <summary>True when both files are configured.</summary>
    public bool Enabled => CertFile.Length > 0 && KeyFile.Length > 0;
}

using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[chaos]: fault injection for drills (<c>ronctl chaos inject</c>). Off by default.</summary>
public sealed class ChaosOptions
{
    /// <summary>Expose <c>POST /admin/chaos</c> on the admin listener.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; }
}

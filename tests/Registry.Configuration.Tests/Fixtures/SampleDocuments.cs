namespace Registry.Configuration.Tests.Fixtures;

internal static class SampleDocuments
{
    /// <summary>A configuration that fits <see cref="SampleRegistryOptions"/>; line numbers are asserted in tests.</summary>
    public const string Registry = """
        # svc-registry test configuration
        service_name = "svc-registry"
        log_level = "Information"
        admin_keys = ["ed25519:abc", "ed25519:def"]

        [server]
        listen_address = "0.0.0.0"
        port = 8443
        tls = true
        max_body_bytes = 1_048_576

        [store]
        data_dir = "/var/lib/ron/registry"
        checkpoint_ratio = 0.25
        segment_count = 16

        [[peers]]
        name = "alpha"
        url = "https://alpha.internal:8443/"
        weight = 2

        [[peers]]
        name = "beta"
        url = "https://beta.internal:8443/"
        weight = 1

        [labels]
        region = "eu-west"
        tier = "gold"

        """;

    /// <summary>Writes <paramref name="content"/> to a new file in a fresh temporary folder and returns its full path.</summary>
    public static string WriteTempFile(string content, string name = "svc-registry.toml")
    {
        var folder = Directory.CreateTempSubdirectory("registry-config-tests-").FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}

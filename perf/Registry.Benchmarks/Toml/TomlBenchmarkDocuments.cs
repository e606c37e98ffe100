using System.Globalization;
using System.Text;

namespace Registry.Benchmarks.Toml;

/// <summary>The documents the TOML benchmarks parse: a realistic service configuration and a large generated one.</summary>
internal static class TomlBenchmarkDocuments
{
    /// <summary>A 200-line svc-registry configuration: comments, sections, arrays, inline tables and arrays of tables.</summary>
    public static byte[] Configuration200Lines()
    {
        var lines = new List<string>
        {
            "# /etc/ron/svc-registry.toml: svc-registry configuration",
            "service_name = \"svc-registry\"",
            "environment = 'production'",
            "log_level = \"Information\"",
            "admin_keys = [",
            "  \"ed25519:3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c\",",
            "  \"ed25519:fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025\",",
            "]",
            string.Empty,
            "[server]",
            "listen_address = \"0.0.0.0\"",
            "port = 8443",
            "tls = true",
            "max_body_bytes = 1_048_576",
            "request_timeout_seconds = 30",
            "allowed_origins = [\"https://console.ron.internal\", \"https://ops.ron.internal\"]",
            string.Empty,
            "[server.tls_files]",
            "certificate = \"/etc/ron/tls/registry.crt\"",
            "private_key = '/etc/ron/tls/registry.key'",
            "client_ca = \"/etc/ron/tls/ca.crt\"",
            string.Empty,
            "[store]",
            "data_dir = \"/var/lib/ron/registry\"",
            "checkpoint_ratio = 0.25",
            "segment_count = 16",
            "segment_size_bytes = 0x4000_0000",
            "fsync = true",
            "retention = { days = 30, min_checkpoints = 3 }",
            string.Empty,
            "[backup]",
            "enabled = true",
            "schedule = \"0 3 * * *\"",
            "target = \"s3://ron-backups/registry\"",
            "started_at = 2024-05-27T03:00:00Z",
            string.Empty,
            "[metrics]",
            "enabled = true",
            "path = \"/metrics\"",
            "histogram_buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0]",
            string.Empty,
            "[quorum]",
            "approvals_required = 2",
            "proposal_ttl_seconds = 86_400",
            "reviewers = [\"alice\", \"bob\", \"carol\", \"dave\"]",
            string.Empty,
        };

        for (var i = 0; lines.Count < 200; i++)
        {
            lines.AddRange(
            [
                "[[peers]]",
                $"name = \"peer-{i:00}\"",
                $"url = \"https://peer-{i:00}.ron.internal:8443/\"",
                $"weight = {(i % 5) + 1}",
                $"labels = {{ zone = \"eu-west-{(i % 3) + 1}\", rack = {i} }}",
                "# keep one blank line between peers",
                string.Empty,
            ]);
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(200)) + "\n");
    }

    /// <summary>About 1 MiB of TOML mixing every value kind, as arrays of tables with sub-tables.</summary>
    public static byte[] GeneratedDocument(int minimumBytes = 1 << 20)
    {
        var text = new StringBuilder(minimumBytes + 1024);
        text.Append("# generated benchmark document\ntitle = \"large\"\n\n");
        for (var i = 0; text.Length < minimumBytes; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""
                [[services]]
                name = "service-{{i}}"
                id = 0x{{i:x}}
                weight = {{i % 100}}.5
                enabled = {{(i % 2 == 0 ? "true" : "false")}}
                created = 2024-01-{{(i % 28) + 1:00}}T12:34:56.789Z
                window = 08:30:00
                tags = ["alpha", "beta", "gamma-{{i}}"]
                endpoint = { host = "10.0.{{i / 256 % 256}}.{{i % 256}}", port = {{(i % 60000) + 1024}}, tls = false }
                description = '''
                Multi-line text for service {{i}}.
                It spans two lines.'''
                escaped = "tab\there \u00e9 \"quoted\""

                [services.limits]
                rps = 1_000
                burst = 2_000
                ratio = 1e-3


                """);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

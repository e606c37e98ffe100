using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Configuration;
using Registry.Cli.Infrastructure;
using Registry.Core.Auth;
using Registry.Configuration.Toml;
using Registry.Core.Transparency;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl config print [svc-registry]</c> and <c>ronctl config check FILE</c>, against the service's own
/// options schema (see <see cref="EffectiveConfig"/>).
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("config", "Print svc-registry's effective configuration, or check a configuration file");
        command.Subcommands.Add(Print(env, global));
        command.Subcommands.Add(Check(env, global));
        return command;
    }

    private static Command Print(CliEnvironment env, GlobalOptions global)
    {
        var service = new Argument<string>("service") { Description = "The service (svc-registry)", DefaultValueFactory = _ => "svc-registry" };
        service.AcceptOnlyFromAmong("svc-registry");
        var config = new Option<string?>("--config") { Description = "Configuration file [env RON_CONFIG, else /etc/svc-registry/svc-registry.toml; none: dev mode defaults]" };
        var withEnv = new Option<bool>("--with-env") { Description = "Apply SVCR_*, REGISTRY_ADDR, METRICS_ADDR and RON_BUS_SOCK from this shell, as the service would" };
        var command = new Command("print", "Print the effective configuration as TOML (defaults + file [+ environment]), for diffing against git") { service, config, withEnv };
        command.SetHandler(env, global, (context, _) =>
        {
            var effective = EffectiveConfig.Load(context.Env, context.Get(config), context.Get(withEnv));
            if (context.Json)
            {
                var sections = new JsonObject();
                foreach (var group in effective.Values.GroupBy(v => v.Section))
                {
                    var section = new JsonObject();
                    foreach (var value in group)
                    {
                        section[value.Key] = new JsonObject { ["value"] = value.Value, ["source"] = value.Source };
                    }

                    sections[group.Key] = section;
                }

                context.WriteJson(new JsonObject { ["file"] = effective.FilePath, ["dev_mode"] = effective.FilePath is null, ["config"] = sections });
                return Task.FromResult(ExitCodes.Ok);
            }

            var text = new StringBuilder();
            text.AppendLine("# svc-registry effective configuration");
            text.AppendLine(effective.FilePath is null ? "# file: none (dev mode: built-in defaults)" : $"# file: {effective.FilePath}");
            foreach (var group in effective.Values.GroupBy(v => v.Section))
            {
                text.AppendLine().AppendLine($"[{group.Key}]");
                foreach (var value in group)
                {
                    var literal = value.IsString ? "\"" + value.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : value.Value;
                    var source = value.Source.StartsWith("env", StringComparison.Ordinal) ? $"  # {value.Source}" : string.Empty;
                    text.AppendLine($"{value.Key} = {literal}{source}");
                }
            }

            context.Env.Out.Write(text.ToString());
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Check(CliEnvironment env, GlobalOptions global)
    {
        var file = new Argument<string>("file") { Description = "The TOML configuration file" };
        var command = new Command("check", "Check a configuration file: TOML syntax, known keys and types, ranges, and the files it names (trust roots and their pin, capabilities, TLS)") { file };
        command.SetHandler(env, global, (context, _) =>
        {
            var path = context.Env.ResolvePath(context.Get(file)!);
            if (!File.Exists(path))
            {
                throw CliException.Usage($"configuration file '{path}' does not exist");
            }

            var problems = Problems(path);
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["file"] = path, ["ok"] = problems.Count == 0, ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]) });
            }
            else if (problems.Count == 0)
            {
                context.Line($"ok: {path}");
            }
            else
            {
                foreach (var problem in problems)
                {
                    context.Env.Out.WriteLine(problem);
                }
            }

            return problems.Count == 0
                ? Task.FromResult(ExitCodes.Ok)
                : throw new CliException(ExitCodes.VerificationFailed, $"{path}: {problems.Count} problem(s)");
        });
        return command;
    }

    /// <summary>Everything wrong with the file, each naming its key (and file:line:column for what the file itself says).</summary>
    internal static List<string> Problems(string path)
    {
        Microsoft.Extensions.Configuration.IConfigurationRoot config;
        try
        {
            config = RegistryConfiguration.Build(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddTomlFile(path));
        }
        catch (ConfigurationException ex)
        {
            return [.. ex.Problems.Select(p => p.ToString())];
        }

        var problems = OptionsSchema.Registry.Check(config).Select(p => p.ToString()).ToList();
        if (problems.Count > 0)
        {
            return problems;
        }

        string Get(string key) => config[key] ?? string.Empty;
        var trustFile = Get("trust:trust_roots_file");
        var pin = Get("trust:trust_roots_digest");
        var registryId = config["service:registry_id"] ?? new ServiceOptions().RegistryId;
        if (trustFile.Length == 0)
        {
            problems.Add($"{path}: 'trust.trust_roots_file' is required when a configuration file is used");
        }
        else if (!File.Exists(trustFile))
        {
            problems.Add($"{path}: 'trust.trust_roots_file' names '{trustFile}', which does not exist");
        }
        else
        {
            try
            {
                var bytes = File.ReadAllBytes(trustFile);
                var genesis = Core.Model.GenesisRecord.FromTrustRoots(bytes);
                var digest = Core.Model.GenesisRecord.TrustRootsDigest(bytes).ToString();
                if (pin.Length == 0)
                {
                    problems.Add($"{path}: 'trust.trust_roots_digest' is required; the file's digest is {digest}");
                }
                else if (pin != digest)
                {
                    problems.Add($"{path}: 'trust.trust_roots_digest' pins {pin}, but '{trustFile}' has digest {digest}");
                }

                if (genesis.Registry != registryId)
                {
                    problems.Add($"{path}: trust roots are for registry '{genesis.Registry}', but 'service.registry_id' is '{registryId}'");
                }
            }
            catch (FormatException ex)
            {
                problems.Add($"{path}: trust roots '{trustFile}' are invalid: {ex.Message}");
            }
        }

        var capabilities = Get("auth:capabilities_file");
        if (capabilities.Length == 0)
        {
            problems.Add($"{path}: 'auth.capabilities_file' is required when a configuration file is used (create one with 'ronctl cap rotate --file PATH')");
        }
        else if (!File.Exists(capabilities))
        {
            problems.Add($"{path}: 'auth.capabilities_file' names '{capabilities}', which does not exist");
        }
        else
        {
            try
            {
                _ = CapabilityKeyring.Parse(File.ReadAllBytes(capabilities));
            }
            catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidOperationException)
            {
                problems.Add($"{path}: capabilities file '{capabilities}' is invalid: {ex.Message}");
            }
        }

        var (cert, key) = (Get("tls:cert_file"), Get("tls:key_file"));
        if ((cert.Length == 0) != (key.Length == 0))
        {
            problems.Add($"{path}: 'tls.cert_file' and 'tls.key_file' must be set together");
        }

        foreach (var (name, value) in new[] { ("tls.cert_file", cert), ("tls.key_file", key) })
        {
            if (value.Length > 0 && !File.Exists(value))
            {
                problems.Add($"{path}: '{name}' names '{value}', which does not exist");
            }
        }

        problems.AddRange(TransparencyProblems(path, Get, registryId));

        foreach (var levelKey in new[] { "level", "request_level" })
        {
            var level = Get("log:" + levelKey);
            if (level.Length > 0 && level.ToLowerInvariant() is not ("trace" or "verbose" or "debug" or "info" or "information" or "warn" or "warning" or "error" or "fatal"))
            {
                problems.Add($"{path}: 'log.{levelKey}' must be trace, debug, info, warn, error or fatal, got '{level}'");
            }
        }

        return problems;
    }

    // The keys the service loads at start-up for the transparency log and witnesses, checked the same way
    // (src/Registry.Api/Hosting/LogKeySetup.cs and WitnessSetup.cs).
    private static List<string> TransparencyProblems(string path, Func<string, string> get, string registryId)
    {
        var problems = new List<string>();
        var (logKey, logKeyFile) = (get("trust:log_key"), get("trust:log_key_file"));
        if ((logKey.Length == 0) != (logKeyFile.Length == 0))
        {
            problems.Add($"{path}: 'trust.log_key' and 'trust.log_key_file' go together: set both, or neither");
        }

        if (logKey.Length > 0 && (!NoteVerifierKey.TryParse(logKey, out var vkey) || vkey.Type != NoteVerifierKey.Ed25519Type || vkey.Name != registryId))
        {
            problems.Add($"{path}: 'trust.log_key' is not a C2SP vkey of an Ed25519 key named '{registryId}' (the registry id)");
        }

        if (logKeyFile.Length > 0 && !File.Exists(logKeyFile))
        {
            problems.Add($"{path}: 'trust.log_key_file' names '{logKeyFile}', which does not exist");
        }

        var nextKeyFile = get("trust:next_log_key_file");
        if (nextKeyFile.Length > 0 && (logKey.Length == 0 || !File.Exists(nextKeyFile)))
        {
            problems.Add($"{path}: 'trust.next_log_key_file' names '{nextKeyFile}', which does not exist or has no 'trust.log_key' to rotate from");
        }

        foreach (var entry in get("tlog:witnesses").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !Uri.TryCreate(parts[0], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || !NoteVerifierKey.TryParse(parts[1], out var witness) || witness.Type != NoteVerifierKey.CosignatureV1Type)
            {
                problems.Add($"{path}: 'tlog.witnesses': '{entry}' is not '<http(s) submission prefix> <witness cosignature/v1 vkey>'");
            }
        }

        var (witnessKey, logs) = (get("witness:key_file"), get("witness:logs"));
        if (witnessKey.Length == 0)
        {
            if (logs.Length > 0)
            {
                problems.Add($"{path}: 'witness.logs' is set but 'witness.key_file' is not: a witness needs its key");
            }

            return problems;
        }

        if (!File.Exists(witnessKey))
        {
            problems.Add($"{path}: 'witness.key_file' names '{witnessKey}', which does not exist");
        }
        else if (!NoteSigner.TryParse(File.ReadAllText(witnessKey), out var signer))
        {
            problems.Add($"{path}: 'witness.key_file' ({witnessKey}) does not hold an Ed25519 note signing key (PRIVATE+KEY+<name>+<key id>+<base64>)");
        }
        else
        {
            signer.Dispose();
        }

        var items = logs.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            problems.Add($"{path}: 'witness.logs' must name at least one log's vkey when 'witness.key_file' is set");
        }

        foreach (var item in items.Where(i => !NoteVerifierKey.TryParse(i, out var k) || k.Type != NoteVerifierKey.Ed25519Type))
        {
            problems.Add($"{path}: 'witness.logs': '{item}' is not a C2SP vkey of a log's Ed25519 key");
        }

        return problems;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Core.Auth;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl cap mint|rotate|revoke|list</c>: capability tokens and the root keys that mint them. The service
/// reads the capabilities file at start and on SIGHUP, so rotations and revocations need no restart.
/// </summary>
internal static class CapCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("cap", "Capability tokens: mint, rotate root keys, revoke, list");
        command.Subcommands.Add(Mint(env, global));
        command.Subcommands.Add(Rotate(env, global));
        command.Subcommands.Add(Revoke(env, global));
        command.Subcommands.Add(List(env, global));
        return command;
    }

    private static Option<string?> FileOption() => new("--file") { Description = "Capabilities file [env RON_CAPABILITIES_FILE, else auth.capabilities_file of the config]" };

    private static Option<string?> ConfigOption() => new("--config") { Description = "svc-registry configuration file [env RON_CONFIG, else /etc/svc-registry/svc-registry.toml]" };

    private static Command Mint(CliEnvironment env, GlobalOptions global)
    {
        var (file, config) = (FileOption(), ConfigOption());
        var scopes = new Option<string[]>("--scope") { Description = "Scope to grant (repeat): registry:propose, registry:approve, registry:commit, registry:admin (the admin listener's backup and chaos)", Required = true, AllowMultipleArgumentsPerToken = true };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime (e.g. 24h, 30d)", DefaultValueFactory = _ => "24h" };
        var id = new Option<string?>("--id") { Description = "Token id, for revocation (default: random)" };
        var output = new Option<string?>("--out") { Description = "Write the token to this file (owner-only, replaced atomically) instead of stdout" };
        var command = new Command("mint", "Mint a capability token with the newest live root key") { file, config, scopes, ttl, id, output };
        command.SetHandler(env, global, (context, _) =>
        {
            var path = CapabilitiesFile.Locate(context, context.Get(file), context.Get(config));
            var keyring = CapabilitiesFile.Read(path);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var key = keyring.MintingKey(now) ?? throw CliException.Usage($"'{path}' has no root key live now (run 'ronctl cap rotate')");
            var tokenId = context.Get(id) ?? "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var expires = now + (long)Durations.Parse(context.Get(ttl)!, "--ttl").TotalSeconds;
            var granted = context.Get(scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().Order(StringComparer.Ordinal).ToArray();
            var token = CapabilityToken.Mint(key.Id, key.Secret, tokenId, granted, expires);
            if (context.Get(output) is { } outPath)
            {
                PrivateFile.Write(context.Env.ResolvePath(outPath), System.Text.Encoding.ASCII.GetBytes(token + "\n"), overwrite: true);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["token"] = token,
                    ["id"] = tokenId,
                    ["kid"] = key.Id,
                    ["scopes"] = new JsonArray([.. granted.Select(s => (JsonNode)s)]),
                    ["expires_at"] = expires,
                });
            }
            else
            {
                context.Env.Error.WriteLine($"ronctl: token '{tokenId}' ({string.Join(", ", granted)}) minted with root key '{key.Id}', expires {DateTimeOffset.FromUnixTimeSeconds(expires):u}");
                if (context.Get(output) is null)
                {
                    context.Env.Out.WriteLine(token);
                }
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Rotate(CliEnvironment env, GlobalOptions global)
    {
        var (file, config) = (FileOption(), ConfigOption());
        var overlap = new Option<string>("--overlap") { Description = "How long tokens minted with the old keys stay valid", DefaultValueFactory = _ => "24h" };
        var command = new Command("rotate", "Add a new root key; old keys stop verifying after the overlap window (creates the file if missing)") { file, config, overlap };
        command.SetHandler(env, global, (context, _) =>
        {
            var path = CapabilitiesFile.Locate(context, context.Get(file), context.Get(config));
            var keyring = File.Exists(path) ? CapabilitiesFile.Read(path) : new CapabilityKeyring([], []);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var retireAt = now + (long)Durations.Parse(context.Get(overlap)!, "--overlap").TotalSeconds;
            var newId = "k-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var keys = keyring.Keys
                .Select(k => k.NotAfter is null || k.NotAfter > retireAt ? k with { NotAfter = Math.Max(now, retireAt) } : k)
                .Append(new CapabilityRootKey(newId, RandomNumberGenerator.GetBytes(32), now, null))
                .ToList();
            CapabilitiesFile.Write(path, new CapabilityKeyring(keys, keyring.Revoked));
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["file"] = path, ["new_key"] = newId, ["old_keys_retire_at"] = keyring.Keys.Length > 0 ? retireAt : null });
            }
            else
            {
                context.Line($"{path}: new root key '{newId}'" + (keyring.Keys.Length > 0 ? $"; older keys retire at {DateTimeOffset.FromUnixTimeSeconds(retireAt):u}" : " (file created)"));
                context.Line("reload svc-registry (SIGHUP) so it picks up the change, then mint new tokens: ronctl cap mint --scope ...");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Revoke(CliEnvironment env, GlobalOptions global)
    {
        var (file, config) = (FileOption(), ConfigOption());
        var id = new Option<string?>("--id") { Description = "Token id to revoke" };
        var token = new Option<string?>("--token-value") { Description = "Revoke this token (its id is read from it)" };
        var command = new Command("revoke", "Revoke a token by id (effective on the service's next reload)") { file, config, id, token };
        command.SetHandler(env, global, (context, _) =>
        {
            var tokenId = context.Get(id);
            if (context.Get(token) is { } value)
            {
                tokenId = CapabilityToken.TryParse(value.Trim(), out var parsed) ? parsed.Id : throw CliException.Usage("--token-value is not a capability token");
            }

            if (string.IsNullOrEmpty(tokenId))
            {
                throw CliException.Usage("give --id or --token-value");
            }

            var path = CapabilitiesFile.Locate(context, context.Get(file), context.Get(config));
            var keyring = CapabilitiesFile.Read(path);
            CapabilitiesFile.Write(path, new CapabilityKeyring(keyring.Keys, keyring.Revoked.Add(tokenId)));
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["file"] = path, ["revoked"] = tokenId });
            }
            else
            {
                context.Line($"{path}: token '{tokenId}' revoked; reload svc-registry (SIGHUP) to apply");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command List(CliEnvironment env, GlobalOptions global)
    {
        var (file, config) = (FileOption(), ConfigOption());
        var command = new Command("list", "Show root keys (ids and validity, never secrets) and revoked token ids") { file, config };
        command.SetHandler(env, global, (context, _) =>
        {
            var path = CapabilitiesFile.Locate(context, context.Get(file), context.Get(config));
            var keyring = CapabilitiesFile.Read(path);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["keys"] = new JsonArray([.. keyring.Keys.Select(k => (JsonNode)new JsonObject { ["id"] = k.Id, ["not_before"] = k.NotBefore, ["not_after"] = k.NotAfter })]),
                    ["revoked"] = new JsonArray([.. keyring.Revoked.Order(StringComparer.Ordinal).Select(r => (JsonNode)r)]),
                });
                return Task.FromResult(ExitCodes.Ok);
            }

            var table = CommandContext.Table("key", "not_before", "not_after");
            foreach (var key in keyring.Keys)
            {
                CommandContext.Row(table, key.Id, DateTimeOffset.FromUnixTimeSeconds(key.NotBefore).ToString("u", CultureInfo.InvariantCulture), key.NotAfter is { } na ? DateTimeOffset.FromUnixTimeSeconds(na).ToString("u", CultureInfo.InvariantCulture) : "-");
            }

            context.Write(table);
            context.Line("revoked: " + (keyring.Revoked.Count == 0 ? "none" : string.Join(", ", keyring.Revoked.Order(StringComparer.Ordinal))));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}

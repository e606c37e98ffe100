using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Verification;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry verify-descriptor ID</c>: fetches the descriptor's proof bundle and verifies it as the SDK's
/// <see cref="TransparencyVerifier"/> does (docs/PROTOCOL.md section 12.8): the log signature and freshness line by the
/// pinned log key, the witness policy (k of n cosignatures), the record's inclusion in the checkpoint's tree, the
/// descriptor's state proof, and, with <c>--state FILE</c>, that the checkpoint extends the newest one trusted on an
/// earlier run (rollback and split-view defence; the file is advanced on success). The log key and the witnesses come
/// from the flags, else from the svc-registry configuration (<c>trust.log_key</c>, the keys of <c>tlog.witnesses</c>),
/// which is read when <c>--config</c> names it or no <c>--log-key</c> is given. With <c>--trust-roots FILE</c> (or
/// <c>--dev</c>) a checkpoint signed by another key is judged by following the chain from that genesis: accepted only if
/// a verified <c>set_log_key</c> commit put its key in force (docs/PROTOCOL.md §12.14).
/// Exits 0 verified, 7 refused (naming the check), 3 no such descriptor, 2 bad flags, 6 unreachable.
/// </summary>
internal static class VerifyDescriptorCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var id = new Argument<string>("id") { Description = "The descriptor id" };
        var logKey = new Option<string?>("--log-key") { Description = "The log's vkey to pin [else trust.log_key of the configuration]" };
        var witness = new Option<string[]>("--witness") { Description = "A witness's cosignature/v1 vkey (repeat for each) [else the keys of tlog.witnesses]", AllowMultipleArgumentsPerToken = false };
        var threshold = new Option<int?>("--witness-threshold") { Description = "How many of the witnesses must have cosigned (k of n; default: all of them)" };
        var state = new Option<string?>("--state") { Description = "File holding the newest checkpoint trusted so far; refused if the new one does not extend it, advanced on success" };
        var config = new Option<string?>("--config") { Description = "svc-registry configuration to read trust.log_key and tlog.witnesses from [env RON_CONFIG]" };
        var trustRoots = new Option<string?>("--trust-roots") { Description = "Trust-roots file: follow log key rotations (set_log_key) by verifying the chain from its genesis" };
        var dev = new Option<bool>("--dev") { Description = "As --trust-roots, with the public dev-mode genesis of the log key's registry" };
        var command = new Command("verify-descriptor", "Verify a descriptor's proof bundle: log signature, witness cosignatures, inclusion, state proof, no rollback")
        {
            id, logKey, witness, threshold, state, config, trustRoots, dev,
        };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var descriptorId = context.Get(id)!;
            if (!RegistryIds.IsValid(descriptorId))
            {
                throw CliException.Usage($"'{descriptorId}' is not a descriptor id (1-128 characters of [a-z0-9:._/-])");
            }

            var (key, policy) = TrustOf(context, context.Get(logKey), context.Get(witness) ?? [], context.Get(threshold), context.Get(config));
            var statePath = context.Get(state) is { } file ? context.Env.ResolvePath(file) : null;
            var trusted = statePath is not null && File.Exists(statePath) ? new TrustedCheckpoints(ReadState(statePath, key.Name)) : new TrustedCheckpoints();
            var before = trusted.Newest;
            var genesis = context.Get(trustRoots) is { } roots ? TrustRoots.Load(context.Env.ResolvePath(roots), null)
                : context.Get(dev) ? Core.Auth.DevCredentials.Genesis(key.Name)
                : null;
            if (genesis is not null && genesis.Registry != key.Name)
            {
                throw CliException.Usage($"the trust roots are of registry '{genesis.Registry}', but the log key is named '{key.Name}'");
            }

            using var follower = genesis is null ? null : new LogKeyFollower(genesis);
            var verifier = new TransparencyVerifier(key.Name, key, policy, trusted) { Follower = follower };
            var result = await context.Client().VerifyDescriptorAsync(descriptorId, verifier, cancel);
            key = verifier.LogKey;
            if (result.Ok && statePath is not null)
            {
                WriteState(statePath, result.Checkpoint!);
            }

            if (!result.Ok)
            {
                throw new CliException(ExitCodes.VerificationFailed, $"the proof bundle of '{descriptorId}' is refused ({result.Reason}): {result.Error}")
                {
                    Code = result.Reason.ToString(),
                    Details = new JsonObject { ["ok"] = false, ["id"] = descriptorId, ["reason"] = result.Reason.ToString(), ["trusted_before"] = before?.Size },
                };
            }

            Report(context, key, policy, before, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (NoteVerifierKey Key, WitnessPolicy? Policy) TrustOf(CommandContext context, string? logKey, string[] witnesses, int? threshold, string? configFlag)
    {
        // The configuration is read when it is named, or when no log key is given: flags win over it.
        var config = configFlag is not null || logKey is null ? EffectiveConfig.Load(context.Env, configFlag, withEnvironment: false) : null;
        logKey ??= config?.Get("trust", "log_key") is { Length: > 0 } configured ? configured : null;
        if (logKey is null)
        {
            throw CliException.Usage("no log key to pin: give --log-key VKEY, or --config FILE with trust.log_key");
        }

        if (!NoteVerifierKey.TryParse(logKey, out var key) || key.Type != NoteVerifierKey.Ed25519Type)
        {
            throw CliException.Usage($"--log-key '{logKey}' is not a C2SP vkey of an Ed25519 log key (<registry id>+<8 hex key id>+<base64 of 0x01 || key>)");
        }

        if (witnesses.Length == 0 && config is not null)
        {
            // The witnesses the configuration's log asks: the vkey of each "<url> <vkey>" entry of tlog.witnesses.
            witnesses = [.. (config.Get("tlog", "witnesses") ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(entry => entry.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];
        }

        if (witnesses.Length == 0)
        {
            return (key, null);
        }

        var keys = new List<NoteVerifierKey>();
        foreach (var text in witnesses)
        {
            if (!NoteVerifierKey.TryParse(text, out var witnessKey) || witnessKey.Type != NoteVerifierKey.CosignatureV1Type)
            {
                throw CliException.Usage($"--witness '{text}' is not a cosignature/v1 vkey (<name>+<8 hex key id>+<base64 of 0x04 || key>)");
            }

            keys.Add(witnessKey);
        }

        var k = threshold ?? keys.Count;
        if (k < 1 || k > keys.Count)
        {
            throw CliException.Usage($"--witness-threshold {k} must be between 1 and the {keys.Count} witnesses given");
        }

        try
        {
            return (key, new WitnessPolicy(k, keys));
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }

    private static Checkpoint ReadState(string path, string origin)
    {
        var text = File.ReadAllText(path);
        return Checkpoint.TryParse(text, out var checkpoint) && checkpoint.Origin == origin
            ? checkpoint
            : throw CliException.Usage($"--state {path} does not hold a checkpoint of '{origin}' (origin, size, base64 root lines)");
    }

    private static void WriteState(string path, Checkpoint checkpoint)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, checkpoint.ToText(), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    private static void Report(CommandContext context, NoteVerifierKey key, WitnessPolicy? policy, Checkpoint? before, BundleVerification result)
    {
        var witnesses = policy is null ? "not required" : $"{result.Witnesses.Length} of {policy.Witnesses.Length} cosigned, {policy.Threshold} required ({string.Join(", ", result.Witnesses)})";
        if (context.Json)
        {
            context.WriteJson(new JsonObject
            {
                ["ok"] = true,
                ["id"] = result.Descriptor!.Id,
                ["descriptor"] = JsonViews.Of(result.Descriptor),
                ["checkpoint"] = new JsonObject { ["origin"] = result.Checkpoint!.Origin, ["size"] = result.Checkpoint.Size, ["root"] = result.Checkpoint.Root.ToString() },
                ["signed_at"] = result.SignedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["log_key"] = key.ToString(),
                ["witnesses"] = new JsonArray([.. result.Witnesses.Select(w => (JsonNode?)JsonValue.Create(w))]),
                ["witness_threshold"] = policy?.Threshold,
                ["trusted_before"] = before?.Size,
            });
            return;
        }

        var checkpoint = result.Checkpoint!;
        context.KeyValues(
        [
            ("id", result.Descriptor!.Id),
            ("kind", Descriptor.KindName(result.Descriptor.Kind)),
            ("attrs", Encoding.UTF8.GetString(result.Descriptor.Attrs)),
            ("version", (checkpoint.Size - 1).ToString(CultureInfo.InvariantCulture) + " (the checkpoint's head)"),
            ("checkpoint", $"{checkpoint.Origin} size {checkpoint.Size} root {checkpoint.Root}"),
            ("log_key", $"{key.Name}+{key.KeyId:x8}: signature and freshness line verified, signed at {result.SignedAt!.Value.ToString("u", CultureInfo.InvariantCulture)}"),
            ("witnesses", witnesses),
            ("inclusion", "the head record is in the checkpoint's tree; the descriptor is under its state root"),
            ("consistency", before is null ? "no earlier checkpoint trusted (first use)" : $"extends the trusted checkpoint of size {before.Size}"),
        ]);
    }
}

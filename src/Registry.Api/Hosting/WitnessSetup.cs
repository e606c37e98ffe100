using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Transparency;
using Registry.Api.Witness;
using Registry.Configuration;
using Registry.Core.Transparency;

namespace Registry.Api.Hosting;

/// <summary>
/// Reads the witness settings: <c>[witness]</c> (this node cosigns for the logs listed) and <c>tlog.witnesses</c>
/// (the witnesses this log asks). Every mistake stops start-up naming the key.
/// </summary>
public static partial class WitnessSetup
{
    /// <summary>This node's witness, or null when <c>witness.key_file</c> is empty.</summary>
    /// <exception cref="ConfigurationException">The key, the logs or the stored state do not load.</exception>
    public static WitnessNode? LoadNode(LoadedConfiguration config, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Options.Witness;
        if (!options.Enabled)
        {
            if (options.Logs.Length > 0)
            {
                throw new ConfigurationException("'witness.logs' is set but 'witness.key_file' is not: a witness needs its key");
            }

            return null;
        }

        var signer = NoteKeyFile.Read("witness.key_file", options.KeyFile);

        var logs = new List<NoteVerifierKey>();
        foreach (var item in Split(options.Logs))
        {
            if (!NoteVerifierKey.TryParse(item, out var key) || key.Type != NoteVerifierKey.Ed25519Type)
            {
                signer.Dispose();
                throw new ConfigurationException($"'witness.logs': '{item}' is not a C2SP vkey of a log's Ed25519 key (<origin>+<8 hex key id>+<base64 of 0x01 || key>)");
            }

            if (logs.Any(k => k.Name == key.Name))
            {
                signer.Dispose();
                throw new ConfigurationException($"'witness.logs' names the origin '{key.Name}' twice");
            }

            logs.Add(key);
        }

        if (logs.Count == 0)
        {
            signer.Dispose();
            throw new ConfigurationException("'witness.logs' must name at least one log's vkey when 'witness.key_file' is set");
        }

        WitnessStateStore store;
        try
        {
            store = config.Options.Service.Amnesia
                ? WitnessStateStore.InMemory()
                : WitnessStateStore.Open(options.StateDir.Length > 0 ? Path.GetFullPath(options.StateDir) : Path.Combine(config.DataDir, "witness"), logs.Select(k => k.Name));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            signer.Dispose();
            throw new ConfigurationException($"'witness.state_dir': the witness state cannot be read: {ex.Message}", ex);
        }

        var node = new WitnessNode(signer, logs, store, time, logger);
        LogWitness(logger, node.CosignatureKey.ToString(), string.Join(' ', logs.Select(k => k.Name)));
        return node;
    }

    /// <summary>The witnesses of <c>tlog.witnesses</c>, each as a client sharing <paramref name="http"/>.</summary>
    /// <exception cref="ConfigurationException">An entry is not <c>&lt;http(s) URL&gt; &lt;cosignature vkey&gt;</c>.</exception>
    public static IReadOnlyList<WitnessClient> LoadWitnesses(TlogOptions options, HttpClient http, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var witnesses = new List<WitnessClient>();
        foreach (var entry in options.Witnesses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !Uri.TryCreate(parts[0], UriKind.Absolute, out var prefix)
                || (prefix.Scheme != Uri.UriSchemeHttp && prefix.Scheme != Uri.UriSchemeHttps) || prefix.Query.Length > 0)
            {
                throw new ConfigurationException($"'tlog.witnesses': '{entry}' is not '<http(s) submission prefix> <witness vkey>'");
            }

            if (!NoteVerifierKey.TryParse(parts[1], out var key) || key.Type != NoteVerifierKey.CosignatureV1Type)
            {
                throw new ConfigurationException($"'tlog.witnesses': '{parts[1]}' is not a witness's cosignature/v1 vkey (<name>+<8 hex key id>+<base64 of 0x04 || key>, as 'ronctl tlog keygen --witness' prints)");
            }

            if (witnesses.Any(w => w.Key.Name == key.Name && w.Key.KeyId == key.KeyId))
            {
                throw new ConfigurationException($"'tlog.witnesses' names the witness key '{key.Name}' twice");
            }

            witnesses.Add(new WitnessClient(prefix, key, http, TimeSpan.FromMilliseconds(options.WitnessTimeoutMs), logger));
        }

        return witnesses;
    }

    private static string[] Split(string list) =>
        list.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "witness: serving POST /add-checkpoint with witness_key={WitnessKey} for {Origins}")]
    private static partial void LogWitness(ILogger logger, string witnessKey, string origins);
}

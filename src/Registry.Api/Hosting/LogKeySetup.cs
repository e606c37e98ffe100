using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Core.Transparency;

namespace Registry.Api.Hosting;

/// <summary>
/// Loads the transparency log's signing key: <c>trust.log_key</c> (the vkey clients pin) with <c>trust.log_key_file</c>
/// (its private half); neither set means no signed checkpoints, except in dev mode, which generates an ephemeral key
/// and logs its vkey.
/// </summary>
public static partial class LogKeySetup
{
    /// <summary>The signer, or null when none is configured outside dev mode.</summary>
    /// <exception cref="ConfigurationException">The key settings are incomplete, malformed, or do not match each other or the registry id.</exception>
    public static NoteSigner? Load(LoadedConfiguration config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        var trust = config.Options.Trust;
        var registry = config.Options.Service.RegistryId;
        if (trust.LogKey.Length == 0 && trust.LogKeyFile.Length == 0)
        {
            if (!config.DevMode)
            {
                LogNoKey(logger);
                return null;
            }

            var ephemeral = NoteSigner.Generate(registry);
            LogEphemeral(logger, ephemeral.VerifierKey.ToString());
            return ephemeral;
        }

        if (trust.LogKey.Length == 0 || trust.LogKeyFile.Length == 0)
        {
            throw new ConfigurationException("'trust.log_key' and 'trust.log_key_file' go together: set both, or neither");
        }

        if (!NoteVerifierKey.TryParse(trust.LogKey, out var vkey) || vkey.Type != NoteVerifierKey.Ed25519Type)
        {
            throw new ConfigurationException("'trust.log_key' is not a C2SP vkey of an Ed25519 key (<name>+<8 hex key id>+<base64 of 0x01 || 32-byte key>, with a matching key id)");
        }

        if (vkey.Name != registry)
        {
            throw new ConfigurationException($"'trust.log_key' is named '{vkey.Name}', but the log key's name is the checkpoint origin, the registry id '{registry}'");
        }

        var signer = NoteKeyFile.Read("trust.log_key_file", trust.LogKeyFile);

        if (signer.VerifierKey.ToString() != vkey.ToString())
        {
            signer.Dispose();
            throw new ConfigurationException($"the key in 'trust.log_key_file' ({trust.LogKeyFile}) is not the private half of 'trust.log_key'");
        }

        LogConfigured(logger, vkey.ToString());
        return signer;
    }

    /// <summary>
    /// The staged next key of a rotation (<c>trust.next_log_key_file</c>, docs/PROTOCOL.md §12.14), or null when none is
    /// staged. It needs a configured <c>trust.log_key</c>, and must be named with the registry id and differ from it.
    /// </summary>
    /// <exception cref="ConfigurationException">The file cannot be read, holds no note signing key, or the key does not fit.</exception>
    public static NoteSigner? LoadNext(LoadedConfiguration config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        var trust = config.Options.Trust;
        if (trust.NextLogKeyFile.Length == 0)
        {
            return null;
        }

        if (trust.LogKey.Length == 0)
        {
            throw new ConfigurationException("'trust.next_log_key_file' stages the next log key of a rotation, and needs 'trust.log_key' (the key in force)");
        }

        var next = NoteKeyFile.Read("trust.next_log_key_file", trust.NextLogKeyFile);

        var registry = config.Options.Service.RegistryId;
        if (next.VerifierKey.Name != registry || next.VerifierKey.ToString() == trust.LogKey)
        {
            var vkey = next.VerifierKey.ToString();
            next.Dispose();
            throw new ConfigurationException($"the key in 'trust.next_log_key_file' ({vkey}) must be named with the registry id '{registry}' and differ from 'trust.log_key'");
        }

        LogStaged(logger, next.VerifierKey.ToString());
        return next;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "tlog: dev mode: checkpoints are signed with an ephemeral log key, new at every start: log_key={VerifierKey}")]
    private static partial void LogEphemeral(ILogger logger, string verifierKey);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "tlog: checkpoints are signed with log_key={VerifierKey}")]
    private static partial void LogConfigured(ILogger logger, string verifierKey);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "tlog: next log key staged for a rotation: next_log_key={VerifierKey} (in force once a set_log_key commit names it)")]
    private static partial void LogStaged(ILogger logger, string verifierKey);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "tlog: no 'trust.log_key' configured: the tree and its tiles are served, but GET /registry/tlog/checkpoint answers 404")]
    private static partial void LogNoKey(ILogger logger);
}

using Registry.Api.Http;
using Registry.Core;
using Registry.Core.Model;

namespace Registry.Api.Transparency;

/// <summary>
/// The service-side precondition of a <c>set_log_key</c> proposal (docs/PROTOCOL.md §12.14): a service that signs
/// checkpoints accepts, and commits, a rotation only to a key whose private half it holds (the staged
/// <c>trust.next_log_key_file</c>), so a commit can never leave the log with a key in force that nobody here can sign
/// with. Checked on propose, on commit and on a pre-signed submission; a refusal writes nothing.
/// </summary>
internal static class LogKeyStaging
{
    /// <summary>The 422 <c>InvalidDescriptor</c> answer for <paramref name="proposal"/>, or null when it may proceed.</summary>
    public static Problem? Refusal(TransparencyLog log, Proposal? proposal)
    {
        if (proposal is null || !log.Signs)
        {
            return null;
        }

        foreach (var change in proposal.Changes)
        {
            if (change is SetLogKeyChange rotation && rotation.LogKey.Name == log.ConfiguredKey!.Name && !log.Holds(rotation.LogKey))
            {
                return new Problem(
                    RegistryErrorCode.InvalidDescriptor,
                    $"set_log_key names {rotation.LogKey}, but this service holds no private key for it: stage it as 'trust.next_log_key_file' and restart before proposing or committing the rotation (RUNBOOK.md, \"Rotate the transparency log key\").");
            }
        }

        return null;
    }
}

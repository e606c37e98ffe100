using Registry.Core.Transparency;

namespace Registry.Api.Transparency;

/// <summary>
/// The chain puts a log key in force (docs/PROTOCOL.md §12.14) whose private half this service holds neither as
/// <c>trust.log_key_file</c> nor as the staged <c>trust.next_log_key_file</c>: it refuses to start (exit 2) rather than
/// sign checkpoints with a key clients following the chain would refuse, or sign none.
/// </summary>
public sealed class LogKeyMismatchException : Exception
{
    /// <summary>Creates the exception naming the key in force and the configured ones.</summary>
    public LogKeyMismatchException(NoteVerifierKey inForce, NoteVerifierKey configured, NoteVerifierKey? next, long version)
        : base(MessageOf(inForce, configured, next, version))
    {
        InForce = inForce;
        Configured = configured;
    }

    /// <summary>Creates the exception.</summary>
    public LogKeyMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogKeyMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LogKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The key the chain puts in force, when known.</summary>
    public NoteVerifierKey? InForce { get; }

    /// <summary>The configured <c>trust.log_key</c>, when known.</summary>
    public NoteVerifierKey? Configured { get; }

    private static string MessageOf(NoteVerifierKey inForce, NoteVerifierKey configured, NoteVerifierKey? next, long version) =>
        $"the chain (HEAD version {version}) puts log key {inForce} in force, but 'trust.log_key' is {configured}"
        + (next is null ? " and no 'trust.next_log_key_file' is staged" : $" and 'trust.next_log_key_file' holds {next}")
        + ": set 'trust.log_key' to the key in force and 'trust.log_key_file' to its private key (RUNBOOK.md, \"Rotate the transparency log key\")";
}

using System.Text.Json.Nodes;

namespace Registry.Cli.Infrastructure;

/// <summary>A failure ronctl reports with a message and a specific exit code (usage errors, failed verification, …).</summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this(ExitCodes.Failure, "ronctl failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    public CliException(string message, Exception? innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Failure;

    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>A stable code for scripts (<c>error.code</c> of <c>--json</c>), e.g. <c>NotStale</c>; null for none.</summary>
    public string? Code { get; init; }

    /// <summary>Members added to the <c>--json</c> error document beside <c>error</c> and <c>exit_code</c> (e.g. approve's review).</summary>
    public JsonObject? Details { get; init; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}

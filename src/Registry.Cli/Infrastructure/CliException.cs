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

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}

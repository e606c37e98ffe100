namespace Registry.Configuration;

/// <summary>Start-up stops: the configuration names an unknown key, holds a bad value, or cannot be read.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the error with a message naming the key and, for the file, its line.</summary>
    /// <param name="message">What is wrong.</param>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error listing every problem, one per line of the message.</summary>
    /// <param name="problems">At least one problem.</param>
    /// <param name="innerException">The cause, if one exception stands behind them.</param>
    public ConfigurationException(IReadOnlyList<ConfigurationProblem> problems, Exception? innerException = null)
        : base("invalid configuration:\n  " + string.Join("\n  ", problems), innerException) => Problems = problems;

    /// <summary>Every problem found; empty when the error is a single message.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = [];
}

using Spectre.Console;

namespace Registry.Cli.Infrastructure;

/// <summary>
/// Everything a command touches outside itself: stdout and stderr (raw writers for JSON and plain lines,
/// Spectre consoles over them for tables, prompts and progress), stdin, environment variables and the
/// working directory. Tests build one over string writers and run ronctl in-process.
/// </summary>
internal sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    TextReader In,
    IAnsiConsole Console,
    IAnsiConsole ErrorConsole,
    Func<string, string?> Variable,
    string WorkingDirectory,
    bool Interactive)
{
    /// <summary>The real process: its streams, variables and terminal.</summary>
    public static CliEnvironment FromProcess()
    {
        var interactive = !System.Console.IsInputRedirected && !System.Console.IsErrorRedirected;
        var piped = System.Console.IsOutputRedirected;
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = piped ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = piped ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Error),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (piped)
        {
            // Piped tables should not wrap at the 80 columns Spectre assumes without a terminal.
            stdout.Profile.Width = 240;
        }

        return new CliEnvironment(System.Console.Out, System.Console.Error, System.Console.In, stdout, stderr, Environment.GetEnvironmentVariable, Environment.CurrentDirectory, interactive);
    }

    /// <summary>An environment over the given writers (no terminal, no colour), for tests and embedding.</summary>
    public static CliEnvironment Captured(TextWriter output, TextWriter error, TextReader? input, Func<string, string?> variable, string workingDirectory)
    {
        static IAnsiConsole Plain(TextWriter writer)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 240;
            return console;
        }

        return new CliEnvironment(output, error, input ?? TextReader.Null, Plain(output), Plain(error), variable, workingDirectory, false);
    }

    /// <summary>A path as the user meant it: relative to the working directory, <c>~</c> expanded.</summary>
    public string ResolvePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = Path.Combine(home, path.Length > 2 ? path[2..] : string.Empty);
        }

        return Path.GetFullPath(path, WorkingDirectory);
    }
}

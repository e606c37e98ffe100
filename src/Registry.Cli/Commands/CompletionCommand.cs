using System.CommandLine;
using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl completion bash|zsh|fish</c>: a script that asks ronctl itself for completions through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (the mechanism dotnet-suggest uses).
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script: eval \"$(ronctl completion bash)\"") { shell };
        command.SetHandler(env, global, (context, _) =>
        {
            context.Env.Out.Write(context.Get(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Fish,
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private const string Bash = """
        # ronctl bash completion: eval "$(ronctl completion bash)"
        _ronctl_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(ronctl "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _ronctl_complete ronctl

        """;

    private const string Zsh = """
        # ronctl zsh completion: eval "$(ronctl completion zsh)"
        _ronctl_complete() {
            local -a completions
            completions=("${(@f)$(ronctl "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -a completions
        }
        compdef _ronctl_complete ronctl

        """;

    private const string Fish = """
        # ronctl fish completion: ronctl completion fish | source
        complete -c ronctl -f -a '(ronctl "[suggest:"(string length (commandline -cp))"]" (commandline -cp) 2>/dev/null)'

        """;
}

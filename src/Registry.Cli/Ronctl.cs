using System.CommandLine;
using Registry.Cli.Commands;
using Registry.Cli.Infrastructure;

namespace Registry.Cli;

/// <summary>ronctl's command tree and entry point; tests call <see cref="RunAsync"/> in-process with a captured environment.</summary>
internal static class Ronctl
{
    public static RootCommand BuildRoot(CliEnvironment env)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("ronctl: operate and sign for svc-registry (propose, approve, commit, watch, verify, back up).\n\n" + ExitCodes.Help);
        global.AddTo(root);
        root.Subcommands.Add(KeygenCommand.Create(env, global));
        root.Subcommands.Add(TlogCommand.Create(env, global));
        root.Subcommands.Add(RegistryCommand.Create(env, global));
        root.Subcommands.Add(TailCommand.CreateTopicTail(env, global));
        root.Subcommands.Add(VerifyCommand.Create(env, global, "verify"));
        root.Subcommands.Add(BackupCommand.Create(env, global));
        root.Subcommands.Add(RestoreCommand.Create(env, global));
        root.Subcommands.Add(CapCommand.Create(env, global));
        root.Subcommands.Add(ConfigCommand.Create(env, global));
        root.Subcommands.Add(ChaosCommand.Create(env, global));
        root.Subcommands.Add(ReplicaCommand.Create(env, global));
        root.Subcommands.Add(HaCommand.Create(env, global));
        root.Subcommands.Add(DevCommand.Create(env, global));
        root.Subcommands.Add(CompletionCommand.Create(env, global));
        return root;
    }

    /// <summary>Parses and runs; a command-line error exits 2 (usage), whatever System.CommandLine's default.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = BuildRoot(env);
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error }, cancellationToken);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}

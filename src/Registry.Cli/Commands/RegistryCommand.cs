using System.CommandLine;
using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry …</c>: reads, the proposal workflow, tail and verify.</summary>
internal static class RegistryCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("registry", "Read the registry and run the propose -> approve -> commit workflow");
        command.Subcommands.Add(HeadCommand.Create(env, global));
        command.Subcommands.Add(GetCommand.Create(env, global));
        command.Subcommands.Add(LogCommand.Create(env, global));
        command.Subcommands.Add(ProposalsCommand.Create(env, global));
        command.Subcommands.Add(ProposeCommand.Create(env, global));
        command.Subcommands.Add(ApproveCommand.Create(env, global));
        command.Subcommands.Add(CommitCommand.Create(env, global));
        command.Subcommands.Add(SubmitCommand.CreateSubmit(env, global));
        command.Subcommands.Add(SubmitCommand.CreateSign(env, global));
        command.Subcommands.Add(TailCommand.CreateRegistryTail(env, global));
        command.Subcommands.Add(VerifyCommand.Create(env, global, "verify"));
        command.Subcommands.Add(VerifyDescriptorCommand.Create(env, global));
        return command;
    }
}

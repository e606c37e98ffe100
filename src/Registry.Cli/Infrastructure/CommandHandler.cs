using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Client;
using Registry.Core;

namespace Registry.Cli.Infrastructure;

/// <summary>Runs a command body and turns every expected failure into a message on stderr and its exit code.</summary>
internal static class CommandHandler
{
    public static void SetHandler(this Command command, CliEnvironment env, GlobalOptions global, Func<CommandContext, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(env, parse, global);
            try
            {
                return await body(context, cancellationToken);
            }
            catch (RegistryClientException ex)
            {
                return Fail(context, ExitCodes.Of(ex), ex.Message, ex.Code, ex.StatusCode, ex.CorrelationId);
            }
            catch (CliException ex)
            {
                return Fail(context, ex.ExitCode, ex.Message, ex.Code, null, null, ex.Details);
            }
            catch (RegistryFormatException ex)
            {
                return Fail(context, ExitCodes.Usage, ex.Message, ex.Code.ToString(), null, null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(context, ExitCodes.Failure, ex.Message, null, null, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
        });
    }

    private static int Fail(CommandContext context, int exitCode, string message, string? code, int? status, string? corrId, JsonObject? details = null)
    {
        var suffix = corrId is null ? string.Empty : $" [corr_id {corrId}]";
        context.Env.Error.WriteLine($"ronctl: {message}{suffix}");
        if (context.Json)
        {
            var document = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["code"] = code,
                    ["status"] = status,
                    ["message"] = message,
                    ["corr_id"] = corrId,
                },
                ["exit_code"] = exitCode,
            };
            if (details is not null)
            {
                foreach (var (name, value) in details)
                {
                    document[name] = value?.DeepClone();
                }
            }

            context.WriteJson(document);
        }

        return exitCode;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Core;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl chaos inject --target svc-registry --fault=storage-latency --ms=N</c> and <c>ronctl chaos clear</c>,
/// for the runbook's drills, through the admin listener's <c>POST</c>/<c>DELETE /admin/chaos</c>, which the
/// service exposes only with <c>[chaos] enabled = true</c> (404 otherwise).
/// </summary>
internal static class ChaosCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("chaos", "Inject or clear faults for drills (the service must have [chaos] enabled = true)");
        command.Subcommands.Add(Inject(env, global));
        command.Subcommands.Add(Clear(env, global));
        return command;
    }

    private static Option<string> Target()
    {
        var target = new Option<string>("--target") { Description = "The service", Required = true };
        target.AcceptOnlyFromAmong("svc-registry");
        return target;
    }

    private static Command Inject(CliEnvironment env, GlobalOptions global)
    {
        var target = Target();
        var fault = new Option<string>("--fault") { Description = "The fault: storage-latency", Required = true };
        fault.AcceptOnlyFromAmong("storage-latency");
        var ms = new Option<int>("--ms") { Description = "Milliseconds of latency", Required = true };
        ms.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 60_000)
            {
                r.AddError("--ms must be 0 to 60000");
            }
        });
        var command = new Command("inject", "Inject a fault (e.g. storage latency of N ms on every storage write)") { target, fault, ms };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var admin = context.AdminClient();
            var applied = await Disabled(() => admin.InjectChaosAsync(context.Get(fault)!, context.Get(ms), cancel), admin.BaseAddress);
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["target"] = "svc-registry", ["fault"] = applied.Fault, ["ms"] = applied.Ms });
            }
            else
            {
                context.Line($"svc-registry: injected {applied.Fault} {applied.Ms} ms (clear with: ronctl chaos clear --target svc-registry)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Clear(CliEnvironment env, GlobalOptions global)
    {
        var target = Target();
        var command = new Command("clear", "Remove every injected fault") { target };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var admin = context.AdminClient();
            await Disabled(async () => { await admin.ClearChaosAsync(cancel); return true; }, admin.BaseAddress);
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["target"] = "svc-registry", ["cleared"] = true });
            }
            else
            {
                context.Line("svc-registry: faults cleared");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Explains a 404: the endpoint exists only when chaos is enabled in the service's configuration.</summary>
    private static async Task<T> Disabled<T>(Func<Task<T>> call, Uri admin)
    {
        try
        {
            return await call();
        }
        catch (RegistryClientException ex) when (ex.ErrorCode == RegistryErrorCode.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"chaos is not enabled on svc-registry at {admin} (set [chaos] enabled = true in its configuration and restart it)", ex);
        }
    }
}

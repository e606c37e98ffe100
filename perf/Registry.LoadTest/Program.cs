using Registry.LoadTest;

// perf/Registry.LoadTest: svc-registry side by side with etcd (issue 8). perf/run.sh is the one command;
// see perf/README.md for the workloads, the fairness rules and how to read perf/results/.
if (args.Length == 4 && args[0] == Registry.LoadTest.Systems.RestoreProcess.Verb)
{
    return await Registry.LoadTest.Systems.RestoreProcess.ChildAsync(args);
}

if (args.Length is 2 or 3 && args[0] == Registry.LoadTest.Setup.LargeDataDump.Verb)
{
    return await Registry.LoadTest.Setup.LargeDataDump.RunAsync(args);
}

var options = HarnessOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

// Interrupted (Ctrl-C, or SIGTERM from a time limit): take the servers down with the harness.
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Interrupted);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Interrupted);
return await Harness.RunAsync(options);

static void Interrupted(System.Runtime.InteropServices.PosixSignalContext context)
{
    Console.Error.WriteLine($"perf: {context.Signal}: stopping the servers");
    Registry.LoadTest.Systems.ManagedProcess.KillAll();
}

using Registry.LoadTest;

// perf/Registry.LoadTest: svc-registry side by side with etcd (issue 8). perf/run.sh is the one command;
// see perf/README.md for the workloads, the fairness rules and how to read perf/results/.
var options = HarnessOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

return await Harness.RunAsync(options);

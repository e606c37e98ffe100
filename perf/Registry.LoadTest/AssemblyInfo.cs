// The harness drives Linux tools (taskset, wrk, etcd) and reads /proc: Linux only, like the service.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

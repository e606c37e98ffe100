// The tests start svc-registry and signal it through libc, and check Unix file modes: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

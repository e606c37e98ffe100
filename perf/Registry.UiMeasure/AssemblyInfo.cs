// Linux only, like the load harness it builds on (Unix file modes, signals, /usr/bin/chromium).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

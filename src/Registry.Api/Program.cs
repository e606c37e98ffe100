// svc-registry: the authoritative, append-only, signed registry. See README.md and RUNBOOK.md.
return await Registry.Api.Hosting.ServiceProcess.RunAsync(args);

// svc-registry: the authoritative, append-only, signed registry. See README.md and RUNBOOK.md.
// One web application on the generic host serves the API and the admin listener (Hosting/RegistryApplication.cs).
// Exit codes (RUNBOOK.md section 2): 0 clean stop, 1 cannot start (e.g. an address in use), 2 configuration error,
// 3 libsodium missing, 4 storage refused to open.
using Registry.Configuration;
using Registry.Api.Hosting;

var (start, exitCode) = await ServiceStart.PrepareAsync(args);
if (start is null)
{
    return exitCode;
}

await using (start)
{
    RegistryApplication service;
    try
    {
        service = RegistryApplication.Build(start);
    }
    catch (ConfigurationException ex)
    {
        start.LogFatal(ex.Message);
        return 2;
    }

    await using (service)
    {
        return await service.RunAsync();
    }
}

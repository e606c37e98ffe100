// ronctl: the operators' and signers' command line for svc-registry. See docs/CLI.md.
return await Registry.Cli.Ronctl.RunAsync(args, Registry.Cli.Infrastructure.CliEnvironment.FromProcess());

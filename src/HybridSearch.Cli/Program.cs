using HybridSearch.Cli;

return await CliApplication.RunAsync(args, CliConsole.FromSystemConsole()).ConfigureAwait(false);

using System.Runtime.InteropServices;
using HybridSearch.Cli;

// Ctrl-C (SIGINT) or SIGTERM once: the running command is cancelled and winds down — an ingestion stops taking
// items, commits what it indexed, prints its summary and exits 130. A second signal ends the process at once (the
// default action).
using var interrupt = new CancellationTokenSource();
var interrupts = 0;
void OnSignal(PosixSignalContext context)
{
    if (Interlocked.Increment(ref interrupts) > 1)
    {
        return; // not cancelled: the runtime's default action terminates the process
    }

    context.Cancel = true;
    Console.Error.WriteLine("interrupted: finishing the current record and committing (Ctrl-C again to abort at once)");
    interrupt.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

try
{
    return await CliApplication.RunAsync(args, CliConsole.FromSystemConsole(), interrupt.Token).ConfigureAwait(false);
}
finally
{
    LoadedModels.Shared.Dispose();
}

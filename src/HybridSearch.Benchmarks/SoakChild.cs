using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HybridSearch.Benchmarks;

/// <summary>
/// A soak role running as a child process: this benchmark started again with <c>soak --role ROLE</c>. Protocol on
/// its stdout: <c>ready</c> once set up, then its report as the last line; on its stdin: <c>go UNTIL_UNIX_MS</c>.
/// Its stderr (progress and problems) goes to ours.
/// </summary>
internal sealed class SoakChild : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _reading;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private SoakChild(string role, Process process)
    {
        Role = role;
        _process = process;
        _reading = Task.Run(ReadOutputAsync);
    }

    public string Role { get; }

    public int ProcessId => _process.Id;

    public static SoakChild Start(string role, IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };

        // Run as 'dotnet HybridSearch.Benchmarks.dll' the host is dotnet, and the assembly comes first.
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(SoakChild).Assembly.Location);
        }

        foreach (var argument in (string[])["soak", "--role", role, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {role} process.");
        return new SoakChild(role, process);
    }

    public async Task WaitReadyAsync()
    {
        var finished = await Task.WhenAny(_ready.Task, _reading, Task.Delay(TimeSpan.FromMinutes(5)));
        if (finished != _ready.Task)
        {
            throw new InvalidDataException($"The {Role} process {ProcessId} did not get ready (exited: {_process.HasExited}).");
        }
    }

    public async Task GoAsync(long untilUnixMs)
    {
        await _process.StandardInput.WriteLineAsync($"go {untilUnixMs.ToString(CultureInfo.InvariantCulture)}");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to exit (killing it after <paramref name="timeout"/>) and parses its last line.</summary>
    public async Task<(int ExitCode, JsonElement? Report)> FinishAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            SoakBenchmark.Log($"the {Role} process {ProcessId} did not finish in {timeout.TotalSeconds:F0} s; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _reading;
        var last = _lines.LastOrDefault(line => line.StartsWith('{'));
        try
        {
            return (_process.ExitCode, last is null ? null : JsonDocument.Parse(last).RootElement.Clone());
        }
        catch (JsonException)
        {
            return (_process.ExitCode, null);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            _lines.Add(line);
            if (line == "ready")
            {
                _ready.TrySetResult();
            }
        }
    }
}

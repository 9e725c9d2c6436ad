using System.Diagnostics;
using System.Text;

namespace HybridSearch.Tests.Cli;

/// <summary>The built <c>hybridsearch</c> command run as a real child process (<c>dotnet HybridSearch.Cli.dll</c>
/// from the test's output folder), for what needs a real process: locks held by another process, signals, kill -9.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => Process = process;

    /// <summary>The child process.</summary>
    public Process Process { get; }

    /// <summary>Standard output so far.</summary>
    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>coreutils' env, which can give a child the default SIGINT handling back (it then execs the command,
    /// keeping its process id).</summary>
    private const string EnvCommand = "/usr/bin/env";

    /// <summary>True when children can be started with SIGINT handled by default even if this process ignores it
    /// (a test run started in the background by a non-interactive shell ignores SIGINT, and children inherit that).</summary>
    public static bool CanRestoreDefaultSigint => OperatingSystem.IsLinux() && File.Exists(EnvCommand);

    /// <summary>Starts the command with <paramref name="args"/>; on Linux its SIGINT handling is reset to the default,
    /// so a test can deliver Ctrl-C whatever this process inherited.</summary>
    public static CliProcess Start(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(CanRestoreDefaultSigint ? EnvCommand : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (CanRestoreDefaultSigint)
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(dotnet);
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HybridSearch.Cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(cli._out, e.Data);
        process.ErrorDataReceived += (_, e) => Append(cli._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end and returns its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await Process.WaitForExitAsync(cancel.Token);
        Process.WaitForExit(); // flushes the redirected streams
        return Process.ExitCode;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    /// <summary>Sends a POSIX signal to the process with the system's <c>kill</c> command.</summary>
    public void Signal(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}

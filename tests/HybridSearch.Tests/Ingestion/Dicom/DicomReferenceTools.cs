using System.Diagnostics;
using System.Text.Json;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>The Debian tools the DICOM conformance tests compare against: python3 with pydicom and numpy
/// (python3-pydicom, which also ships the test corpus) and dcmtk. Absent tools skip the tests with a reason;
/// HYBRIDSEARCH_REQUIRE_DICOM_TOOLS=1 (set by .ci/run after installing them) makes them required.</summary>
internal static class DicomReferenceTools
{
    /// <summary>pydicom's test corpus, under the native lookup root (HYBRIDSEARCH_NATIVE_ROOT) when one is set.</summary>
    public static string CorpusDirectory => NativeLookupRoot.FromEnvironment().ResolvePath("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    /// <summary>Debian's python3 (the one with python3-pydicom), under the native lookup root when one is set, so an
    /// empty root hides it like the other optional natives.</summary>
    private static string Python => NativeLookupRoot.FromEnvironment().ResolvePath("/usr/bin/python3");

    public static bool Required =>
        Environment.GetEnvironmentVariable("HYBRIDSEARCH_REQUIRE_DICOM_TOOLS") == "1" || Environment.GetEnvironmentVariable(OptionalNative.RequireAllVariable) == "1";

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Ingestion", "Dicom", "pydicom_reference.py");

    /// <summary>Skips (or fails, when required) unless python3 imports pydicom and numpy.</summary>
    public static void RequirePydicom()
    {
        var missing = !File.Exists(Python) ? $"{Python} is not installed"
            : Run(Python, ["-c", "import pydicom, numpy"], out _, out var error) != 0 ? $"python3 cannot import pydicom and numpy (apt-get install python3-pydicom): {error.Trim()}"
            : null;
        SkipOrFail(missing);
    }

    /// <summary>Skips (or fails, when required) unless the dcmtk tools named are on PATH.</summary>
    public static void RequireDcmtk(params string[] tools)
    {
        var absent = tools.Where(tool => FindOnPath(tool) is null).ToList();
        SkipOrFail(absent.Count == 0 ? null : $"dcmtk tools {string.Join(", ", absent)} are not installed (apt-get install dcmtk)");
    }

    public static void SkipOrFail(string? missing)
    {
        if (missing is null)
        {
            return;
        }

        if (Required)
        {
            Assert.Fail($"HYBRIDSEARCH_REQUIRE_DICOM_TOOLS=1 but {missing}");
        }

        Skip.If(true, missing);
    }

    /// <summary>Runs the reference script over the files; one parsed line per file, in order.</summary>
    public static List<JsonElement> Reference(string outputDirectory, IReadOnlyList<string> files)
    {
        var exit = Run(Python, [ScriptPath, outputDirectory, .. files], out var output, out var error);
        Assert.True(exit == 0, $"pydicom_reference.py failed ({exit}): {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.Equal(files.Count, lines.Count);
        return lines;
    }

    /// <summary>Runs a dcmtk tool and asserts it succeeded.</summary>
    public static void Dcmtk(string tool, params string[] arguments)
    {
        var exit = Run(FindOnPath(tool) ?? tool, arguments, out var output, out var error);
        Assert.True(exit == 0, $"{tool} {string.Join(' ', arguments)} failed ({exit}): {error} {output}");
    }

    public static int Run(string program, IEnumerable<string> arguments, out string output, out string error)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
            }

            output = stdout.Result;
            error = stderr.Result;
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            output = string.Empty;
            error = exception.Message;
            return -1;
        }
    }

    private static string? FindOnPath(string tool) => OptionalNative.FindExecutable(tool);
}

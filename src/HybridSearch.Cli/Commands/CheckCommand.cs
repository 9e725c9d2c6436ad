using System.CommandLine;
using System.Text.Json;
using HybridSearch.Indexing;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch check</c>: verifies an index without changing it (checksums of every file, Lucene's
/// CheckIndex, records whole) and lists what is damaged; exit 0 when clean, 4 when corrupt.</summary>
internal static class CheckCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index();
        var json = CommonOptions.Json("Print one JSON object instead of lines.");
        var command = new Command("check", "Check an index for damage (read-only): every file's checksum, Lucene's CheckIndex, every record's documents whole. Exit 0 clean, 4 corrupt.")
        {
            index,
            json,
        };
        command.SetAction(parseResult =>
        {
            var path = CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index));
            var report = HybridIndex.Check(path);
            if (parseResult.GetValue(json))
            {
                console.Out.WriteLine(ToJson(report));
            }
            else
            {
                Write(console.Out, report);
            }

            if (!report.IsClean)
            {
                console.Error.WriteLine($"index corrupt: '{path}': {report.Problems.Count} problem{(report.Problems.Count == 1 ? string.Empty : "s")}{(report.DamagedFiles.Count > 0 ? $" in {string.Join(", ", report.DamagedFiles)}" : string.Empty)}");
            }

            return report.IsClean ? ExitCodes.Success : ExitCodes.IndexCorrupt;
        });
        return command;
    }

    private static void Write(TextWriter output, IndexCheckReport report)
    {
        var what = $"{report.FilesChecked} files, {report.Segments} segments, {report.Documents} documents, {report.Records} records";
        if (report.IsClean)
        {
            output.WriteLine($"index '{report.IndexDirectory}' is clean ({what})");
            return;
        }

        output.WriteLine($"index '{report.IndexDirectory}' is corrupt: {report.Problems.Count} problem{(report.Problems.Count == 1 ? string.Empty : "s")} ({what})");
        foreach (var problem in report.Problems)
        {
            output.WriteLine($"  {CliApplication.OneLine(problem.ToString())}");
        }

        output.WriteLine("to recover: restore the index from a backup, or re-index the affected records (all of them, if a file is damaged) into a new index.");
    }

    /// <summary>The report as one JSON object.</summary>
    internal static string ToJson(IndexCheckReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("index", report.IndexDirectory);
            writer.WriteBoolean("clean", report.IsClean);
            writer.WriteNumber("files_checked", report.FilesChecked);
            writer.WriteNumber("segments", report.Segments);
            writer.WriteNumber("documents", report.Documents);
            writer.WriteNumber("records", report.Records);
            writer.WriteStartArray("damaged_files");
            foreach (var file in report.DamagedFiles)
            {
                writer.WriteStringValue(file);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("problems");
            foreach (var problem in report.Problems)
            {
                writer.WriteStartObject();
                writer.WriteString("file", problem.File);
                writer.WriteString("reason", problem.Reason);
                writer.WriteString("record", problem.RecordId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using System.Text;
using System.Text.Json;

namespace HybridSearch.Ingestion;

/// <summary>
/// Reads a manifest JSONL file, one record object per line, streaming (the file is never loaded whole).
/// Paths inside a line are relative to the manifest's directory. Blank lines are skipped. A malformed line, an
/// oversized line, a missing or duplicate id, an unknown property, a bad field or a missing referenced file yields
/// an error item (<see cref="ManifestException"/> with the line number) and reading goes on.
/// </summary>
/// <example><code>
/// foreach (var item in new ManifestReader("/data/records.jsonl").ReadItems())
///     if (item.IsError) Console.Error.WriteLine(item.Error!.Message); else Index(item.Record!);
/// </code></example>
public sealed class ManifestReader : IRecordSource
{
    private readonly ManifestReaderOptions options;

    /// <summary>Creates a reader for one manifest file (opened when enumerated).</summary>
    /// <param name="manifestPath">The JSONL file.</param>
    /// <param name="options">Limits; <see cref="ManifestReaderOptions.Default"/> when null.</param>
    public ManifestReader(string manifestPath, ManifestReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ManifestPath = Path.GetFullPath(manifestPath);
        this.options = options ?? ManifestReaderOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxLineLength, nameof(options));
    }

    /// <summary>Full path of the manifest.</summary>
    public string ManifestPath { get; }

    /// <inheritdoc />
    /// <exception cref="IOException">The manifest itself cannot be opened (not a per-line problem).</exception>
    public IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default)
    {
        var baseDirectory = Path.GetDirectoryName(ManifestPath)!;
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(ManifestPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lines = new BoundedLineReader(reader, options.MaxLineLength);
        while (lines.TryReadLine(out var line, out var length))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line is null)
            {
                yield return Error(lines.LineNumber, $"line is {length} characters long, over the limit of {options.MaxLineLength}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseLine(line, lines.LineNumber, baseDirectory, seenIds);
        }
    }

    private IngestionItem ParseLine(string line, int lineNumber, string baseDirectory, HashSet<string> seenIds)
    {
        Record record;
        try
        {
            using var document = RecordJsonParser.ParseDocument(line);
            record = RecordJsonParser.Parse(document.RootElement, baseDirectory, defaultId: null, options.RequireReferencedFiles);
        }
        catch (JsonException exception)
        {
            return Error(lineNumber, $"malformed JSON: {exception.Message}", exception);
        }
        catch (RecordFormatError error)
        {
            return Error(lineNumber, error.Message);
        }

        return seenIds.Add(record.Id)
            ? IngestionItem.FromRecord(record)
            : Error(lineNumber, $"duplicate id '{record.Id}'");
    }

    private IngestionItem Error(int lineNumber, string reason, Exception? inner = null) =>
        IngestionItem.FromError(new ManifestException(ManifestPath, lineNumber, reason, inner));
}

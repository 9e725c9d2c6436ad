using System.Text.Json;
using HybridSearch.Ingestion.Media;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// Reads a manifest JSONL file, one record object per line, streaming (the file is never loaded whole).
/// Paths inside a line are relative to the manifest's directory and must resolve, after following symbolic links,
/// inside it or inside one of <see cref="ManifestReaderOptions.AllowedDirectories"/>. Blank lines are skipped. A
/// malformed line, an oversized line, a line that is not UTF-8, a missing or duplicate id, an unknown property, a
/// bad field, or a referenced file that is missing, outside the allowed folders or not a regular file yields an
/// error item (<see cref="ManifestException"/> with the line number) and reading goes on.
/// </summary>
/// <example><code>
/// foreach (var item in new ManifestReader("/data/records.jsonl").ReadItems())
///     if (item.IsError) Console.Error.WriteLine(item.Error!.Message); else Index(item.Record!);
/// </code></example>
public sealed class ManifestReader : IRecordSource
{
    private readonly ManifestReaderOptions _options;

    /// <summary>Creates a reader for one manifest file (opened when enumerated).</summary>
    /// <param name="manifestPath">The JSONL file.</param>
    /// <param name="options">Limits; <see cref="ManifestReaderOptions.Default"/> when null.</param>
    public ManifestReader(string manifestPath, ManifestReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ManifestPath = Path.GetFullPath(manifestPath);
        _options = options ?? ManifestReaderOptions.Default;
    }

    /// <summary>Full path of the manifest.</summary>
    public string ManifestPath { get; }

    /// <inheritdoc />
    /// <exception cref="IOException">The manifest itself cannot be opened (not a per-line problem).</exception>
    /// <exception cref="ManifestException">The manifest is a directory, FIFO or device rather than a regular file,
    /// or is UTF-16 (manifests are UTF-8).</exception>
    public IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default)
    {
        var baseDirectory = Path.GetDirectoryName(ManifestPath)!;
        var confinement = PathConfinement.ForBase(baseDirectory, _options.AllowedDirectories);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        using var stream = OpenManifest();
        var lines = new BoundedLineReader(stream, _options.MaxLineLength);
        while (lines.ReadLine() is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line.Text is not { } text)
            {
                yield return Error(lines.LineNumber, line.Error!);
                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            yield return ParseLine(text, lines.LineNumber, baseDirectory, confinement, seenIds);
        }
    }

    private FileStream OpenManifest()
    {
        // Checked before opening: opening a FIFO blocks until a writer comes, and /dev/zero has no lines.
        var kind = FileKinds.Of(ManifestPath);
        if (kind is not (FileKind.RegularFile or FileKind.Missing))
        {
            throw new ManifestException(ManifestPath, null, $"the manifest is {FileKinds.Describe(kind)}, not a regular file");
        }

        var stream = new FileStream(ManifestPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> start = stackalloc byte[2];
        if (stream.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && (start.SequenceEqual((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.SequenceEqual((ReadOnlySpan<byte>)[0xFE, 0xFF])))
        {
            stream.Dispose();
            throw new ManifestException(ManifestPath, null, "the manifest is UTF-16 (it starts with a UTF-16 byte order mark); manifests are UTF-8");
        }

        stream.Position = 0;
        return stream;
    }

    private IngestionItem ParseLine(string line, int lineNumber, string baseDirectory, PathConfinement confinement, HashSet<string> seenIds)
    {
        Record record;
        try
        {
            using var document = RecordJsonParser.ParseDocument(line);
            record = RecordJsonParser.Parse(document.RootElement, baseDirectory, defaultId: null, _options.RequireReferencedFiles, confinement);
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

using System.Text.Json;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// Walks a directory tree and yields one record per image, per audio file and per text record file.
/// <list type="bullet">
/// <item>Order: the files of a directory in ordinal order of name, then its subdirectories in ordinal order.</item>
/// <item>Ids: the path relative to the root with forward slashes (a record JSON file may set its own "id").</item>
/// <item>Images (.jpg .jpeg .png .gif .bmp .webp .tif .tiff): sidecars <c>name.ext.txt</c> or <c>name.txt</c>
/// (caption) and <c>name.ext.json</c> or <c>name.json</c> (<c>{"caption","title","text","fields"}</c>).</item>
/// <item>DICOM (.dcm .dicom, or extension-less with the DICM preamble): one record per study or series with each
/// instance an image child; see <see cref="FolderIngestionOptions.Dicom"/> and the README's DICOM section.</item>
/// <item>Audio (.wav .mp3 .ogg .opus): transcript sidecar <c>name.ext.srt|vtt|txt</c> or <c>name.srt|vtt|txt</c>.</item>
/// <item>Text records: .txt/.md (title = first non-blank line, Markdown heading marks removed; text = the rest)
/// and .json (a record object of the manifest schema; paths relative to the file).</item>
/// </list>
/// A file used as a sidecar is attached to its media and not also read as a text record. Other files are ignored, and
/// symbolic links are never followed by the walk; paths inside record JSON files must resolve inside the walked
/// folder (or <see cref="FolderIngestionOptions.AllowedDirectories"/>). Only regular files are read.
/// Media are not decoded here (that is the pipeline's bounded decoders' job); unreadable text files and bad
/// JSON become error items.
/// </summary>
public sealed class FolderRecordSource : IRecordSource
{
    private static readonly HashSet<string> ImageSidecarKeys = new(StringComparer.Ordinal) { "caption", "title", "text", "fields" };
    private readonly FolderIngestionOptions _options;

    /// <summary>Creates a source over a directory (walked when enumerated).</summary>
    /// <param name="rootDirectory">The directory to walk.</param>
    /// <param name="options">Settings; <see cref="FolderIngestionOptions.Default"/> when null.</param>
    public FolderRecordSource(string rootDirectory, FolderIngestionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        _options = options ?? FolderIngestionOptions.Default;
    }

    /// <summary>Full path of the walked directory.</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    /// <exception cref="DirectoryNotFoundException">The root directory does not exist.</exception>
    public IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(RootDirectory))
        {
            throw new DirectoryNotFoundException($"Folder to ingest '{RootDirectory}' does not exist.");
        }

        return Walk(cancellationToken);
    }

    private IEnumerable<IngestionItem> Walk(CancellationToken cancellationToken)
    {
        var confinement = PathConfinement.ForBase(RootDirectory, _options.AllowedDirectories);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var dicom = DicomFolderCatalog.Scan(RootDirectory, _options, cancellationToken);
        var pending = new Stack<string>();
        pending.Push(RootDirectory);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var enumeration = new EnumerationOptions
            {
                // Symbolic links to directories are not followed, so a link cycle cannot loop the walk.
                AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Device,
                IgnoreInaccessible = true,
                RecurseSubdirectories = false,
            };
            var files = Directory.EnumerateFiles(directory, "*", enumeration).Select(Path.GetFileName).OfType<string>()
                .Where(name => _options.IncludeHidden || !name.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            var subdirectories = Directory.EnumerateDirectories(directory, "*", enumeration).Select(Path.GetFileName).OfType<string>()
                .Where(name => _options.IncludeHidden || !name.StartsWith('.')).Order(StringComparer.Ordinal).ToList();

            files.RemoveAll(name => dicom.ClaimedFiles.Contains(Path.Combine(directory, name)));
            foreach (var item in ReadDirectory(directory, files, seenIds, confinement, cancellationToken))
            {
                yield return item;
            }

            // Pushed in reverse so they are visited in ordinal order.
            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(Path.Combine(directory, subdirectories[i]));
            }
        }

        foreach (var item in dicom.Items(RootDirectory))
        {
            yield return item.Record is { } record && !seenIds.Add(record.Id)
                ? IngestionItem.FromError(new ManifestException(record.Images.FirstOrDefault()?.Path ?? RootDirectory, null, $"duplicate id '{record.Id}'"))
                : item;
        }
    }

    private IEnumerable<IngestionItem> ReadDirectory(string directory, List<string> files, HashSet<string> seenIds, PathConfinement confinement, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(files, StringComparer.Ordinal);
        var sidecars = new HashSet<string>(StringComparer.Ordinal);
        var imageCaptions = new Dictionary<string, string?>(StringComparer.Ordinal);
        var imageJson = new Dictionary<string, string?>(StringComparer.Ordinal);
        var audioTranscripts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in files)
        {
            if (MediaFileTypes.IsImage(name))
            {
                imageCaptions[name] = FindSidecar(name, [".txt"], present);
                imageJson[name] = FindSidecar(name, [".json"], present);
                AddIfNotNull(sidecars, imageCaptions[name]);
                AddIfNotNull(sidecars, imageJson[name]);
            }
            else if (MediaFileTypes.IsAudio(name))
            {
                audioTranscripts[name] = FindSidecar(name, MediaFileTypes.TranscriptExtensions, present);
                AddIfNotNull(sidecars, audioTranscripts[name]);
            }
        }

        foreach (var name in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, name);
            var id = Path.GetRelativePath(RootDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
            IngestionItem item;
            if (imageCaptions.ContainsKey(name))
            {
                item = ReadImageRecord(path, id, imageCaptions[name], imageJson[name], directory);
            }
            else if (audioTranscripts.TryGetValue(name, out var transcript))
            {
                item = IngestionItem.FromRecord(new Record(id, Path.GetFileNameWithoutExtension(name), null, null, null,
                    [new RecordAudio(path, transcript is null ? null : Path.Combine(directory, transcript))]));
            }
            else if (MediaFileTypes.TextRecordExtensions.Contains(Path.GetExtension(name)) && !sidecars.Contains(name))
            {
                item = ReadTextRecord(path, id, directory, confinement);
            }
            else
            {
                continue;
            }

            if (item.Record is { } record && !seenIds.Add(record.Id))
            {
                item = IngestionItem.FromError(new ManifestException(path, null, $"duplicate id '{record.Id}'"));
            }

            yield return item;
        }
    }

    private static void AddIfNotNull(HashSet<string> set, string? value)
    {
        if (value is not null)
        {
            set.Add(value);
        }
    }

    /// <summary>Looks for <c>name.ext.sidecar</c>, then <c>name.sidecar</c>, for each sidecar extension in order.</summary>
    private static string? FindSidecar(string mediaName, IEnumerable<string> extensions, HashSet<string> present)
    {
        var stem = Path.GetFileNameWithoutExtension(mediaName);
        foreach (var extension in extensions)
        {
            foreach (var candidate in new[] { mediaName + extension, stem + extension })
            {
                if (present.Contains(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private IngestionItem ReadImageRecord(string path, string id, string? captionFile, string? jsonFile, string directory)
    {
        string? caption = null, title = null, text = null;
        IReadOnlyDictionary<string, FieldValue>? fields = null;
        if (captionFile is not null)
        {
            var captionPath = Path.Combine(directory, captionFile);
            if (!TryReadText(captionPath, out var captionText, out var error))
            {
                return IngestionItem.FromError(error);
            }

            caption = captionText.Trim();
        }

        if (jsonFile is not null)
        {
            var jsonPath = Path.Combine(directory, jsonFile);
            if (!TryReadText(jsonPath, out var json, out var error))
            {
                return IngestionItem.FromError(error);
            }

            try
            {
                using var document = RecordJsonParser.ParseDocument(json);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new RecordFormatError($"image sidecar must be a JSON object, found {root.ValueKind}");
                }

                foreach (var property in root.EnumerateObject())
                {
                    if (!ImageSidecarKeys.Contains(property.Name))
                    {
                        throw new RecordFormatError($"unknown property '{property.Name}' in image sidecar (expected caption, title, text, fields)");
                    }
                }

                caption = GetOptionalString(root, "caption") ?? caption;
                title = GetOptionalString(root, "title");
                text = GetOptionalString(root, "text");
                if (root.TryGetProperty("fields", out var fieldsElement))
                {
                    fields = RecordJsonParser.ParseFields(fieldsElement, "fields");
                }
            }
            catch (JsonException exception)
            {
                return IngestionItem.FromError(new ManifestException(jsonPath, null, $"malformed JSON: {exception.Message}", exception));
            }
            catch (RecordFormatError formatError)
            {
                return IngestionItem.FromError(new ManifestException(jsonPath, null, formatError.Message));
            }
        }

        var image = new RecordImage(path, caption, fields);
        return IngestionItem.FromRecord(new Record(id, title ?? Path.GetFileNameWithoutExtension(path), text ?? caption, fields, [image]));
    }

    private static string? GetOptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new RecordFormatError($"'{name}' must be a string, found {value.ValueKind}");
    }

    private IngestionItem ReadTextRecord(string path, string id, string directory, PathConfinement confinement)
    {
        if (!TryReadText(path, out var content, out var error))
        {
            return IngestionItem.FromError(error);
        }

        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var document = RecordJsonParser.ParseDocument(content);
                return IngestionItem.FromRecord(RecordJsonParser.Parse(document.RootElement, directory, id, _options.RequireReferencedFiles, confinement));
            }
            catch (JsonException exception)
            {
                return IngestionItem.FromError(new ManifestException(path, null, $"malformed JSON: {exception.Message}", exception));
            }
            catch (RecordFormatError formatError)
            {
                return IngestionItem.FromError(new ManifestException(path, null, formatError.Message));
            }
        }

        var (title, text) = SplitTitle(content, Path.GetExtension(path).Equals(".md", StringComparison.OrdinalIgnoreCase));
        return IngestionItem.FromRecord(new Record(id, title, text));
    }

    /// <summary>Title = the first non-blank line (for Markdown without leading '#' marks); text = the rest.</summary>
    internal static (string Title, string Text) SplitTitle(string content, bool markdown)
    {
        using var reader = new StringReader(content);
        string? line;
        while ((line = reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
        {
        }

        if (line is null)
        {
            return (string.Empty, string.Empty);
        }

        var title = line.Trim();
        if (markdown)
        {
            title = title.TrimStart('#').Trim();
        }

        return (title, reader.ReadToEnd().Trim());
    }

    private bool TryReadText(string path, out string content, out IngestionException error)
    {
        content = string.Empty;
        error = null!;
        try
        {
            content = BoundedFileReader.ReadAllText(path, _options.MaxTextFileBytes);
            return true;
        }
        catch (BoundedFileException exception)
        {
            error = exception.Failure == MediaDecodeFailure.TooLarge
                ? new ManifestException(path, null, $"text file is {exception.Message}")
                : new IngestionException(path, null, $"cannot read: {exception.Message}", exception);
            return false;
        }
    }
}

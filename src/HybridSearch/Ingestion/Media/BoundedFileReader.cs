namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Opens and reads input files the way every ingestion reader must: only regular files (checked after following
/// links and before opening, because opening a FIFO blocks and a device never ends), and never more than a limit,
/// counted in bytes actually read rather than the size the file system reports (which is 0 for <c>/dev/zero</c>
/// and for files under <c>/proc</c>). Failures are <see cref="BoundedFileException"/>s for the caller to name.
/// </summary>
internal static class BoundedFileReader
{
    /// <summary>Throws unless <paramref name="path"/> is an existing regular file.</summary>
    public static void EnsureRegularFile(string path)
    {
        var kind = FileKinds.Of(path);
        switch (kind)
        {
            case FileKind.RegularFile:
                return;
            case FileKind.Missing:
                throw new BoundedFileException(MediaDecodeFailure.NotFound, "the file does not exist");
            case FileKind.Directory:
                throw new BoundedFileException(MediaDecodeFailure.NotAFile, "the path is a directory, not a file");
            default:
                throw new BoundedFileException(MediaDecodeFailure.NotAFile, $"the path is {FileKinds.Describe(kind)}, not a regular file");
        }
    }

    /// <summary>Opens a regular file for reading through a stream that refuses to read past <paramref name="maxBytes"/>.</summary>
    public static BoundedReadStream Open(string path, long maxBytes, int bufferSize = 4096)
    {
        EnsureRegularFile(path);
        try
        {
            return new BoundedReadStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize), maxBytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new BoundedFileException(MediaDecodeFailure.NotFound, $"cannot open: {exception.Message}", exception);
        }
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, maxBytes, bufferSize: 1);
        try
        {
            // The reported length only sizes the first buffer; the limit is enforced on what is read.
            using var buffer = new MemoryStream((int)Math.Min(Math.Max(stream.Length, 0) + 1, Math.Min(maxBytes + 1, 1 << 26)));
            await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (IOException exception)
        {
            throw new BoundedFileException(MediaDecodeFailure.NotFound, $"cannot read: {exception.Message}", exception);
        }
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> bytes as text (UTF-8 unless a byte
    /// order mark says otherwise).</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        var bytes = ReadAllBytesAsync(path, maxBytes, CancellationToken.None).GetAwaiter().GetResult();
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}

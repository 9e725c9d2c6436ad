namespace HybridSearch.Ingestion.Media;

/// <summary>
/// A read-only view of a stream that throws <see cref="BoundedFileException"/> (<see cref="MediaDecodeFailure.TooLarge"/>)
/// as soon as more than a limit of bytes could be read, whatever length the file claims. Seeking is passed through
/// (it reads nothing); reading past the limit from any position is refused. Disposes the inner stream.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes) : Stream
{
    /// <summary>Bytes read so far, for an inner stream that cannot tell its position.</summary>
    private long _consumed;

    /// <summary>The limit in bytes.</summary>
    public long MaxBytes { get; } = maxBytes;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.CanSeek ? inner.Position : _consumed;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var start = Position;
        var read = inner.Read(buffer[..Allowed(start, buffer.Length)]);
        _consumed += read;
        Check(start + read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = Position;
        var read = await inner.ReadAsync(buffer[..Allowed(start, buffer.Length)], cancellationToken).ConfigureAwait(false);
        _consumed += read;
        Check(start + read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>At most one byte past the limit is asked for, so a file of exactly the limit reads whole and a
    /// longer one is caught after one byte too many.</summary>
    private int Allowed(long position, int wanted) => (int)Math.Clamp(MaxBytes + 1 - position, 0, wanted);

    private void Check(long position)
    {
        if (position > MaxBytes)
        {
            throw new BoundedFileException(MediaDecodeFailure.TooLarge, $"more than {MaxBytes} bytes, over the limit");
        }
    }
}

using System.Buffers.Binary;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Walks the pages of an Ogg file (RFC 3533) before it is decoded, to tell a file that was cut short from one
/// that is damaged: NVorbis reads up to the last complete page and then reports "no Vorbis data" or simply stops,
/// so a truncated download would otherwise be indexed as a shorter clip or reported as corrupt. Page CRCs are left
/// to the decoders, which check them.
/// </summary>
internal static class OggPageCheck
{
    private const int PageHeaderBytes = 27;
    private const byte EndOfStreamFlag = 0x04;

    /// <summary>Throws <see cref="MediaDecodeException"/> (<see cref="MediaDecodeFailure.Truncated"/>) when the
    /// last page is cut or the stream has no end-of-stream page, (<see cref="MediaDecodeFailure.Corrupt"/>) when
    /// bytes between pages are not a page. Leaves the stream where it was.</summary>
    public static void EnsureComplete(Stream stream, string path)
    {
        var start = stream.Position;
        try
        {
            Span<byte> header = stackalloc byte[PageHeaderBytes];
            Span<byte> lacing = stackalloc byte[255];
            var position = start;
            var pages = 0;
            var sawEndOfStream = false;
            while (position < stream.Length)
            {
                stream.Position = position;
                var headerRead = stream.ReadAtLeast(header, PageHeaderBytes, throwOnEndOfStream: false);
                if (headerRead < 4 || !header[..4].SequenceEqual("OggS"u8))
                {
                    // A cut inside the capture pattern of the next page is still a cut; anything else is damage.
                    if (headerRead < 4 && "OggS"u8.StartsWith(header[..headerRead]))
                    {
                        throw Truncated(path, position, "a page header");
                    }

                    throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"no Ogg page at byte {position} (after {pages} pages)");
                }

                if (headerRead < PageHeaderBytes)
                {
                    throw Truncated(path, position, "a page header");
                }

                int segments = header[26];
                if (stream.ReadAtLeast(lacing[..segments], segments, throwOnEndOfStream: false) < segments)
                {
                    throw Truncated(path, position, "a page's segment table");
                }

                var bodyBytes = 0;
                foreach (var size in lacing[..segments])
                {
                    bodyBytes += size;
                }

                var next = position + PageHeaderBytes + segments + bodyBytes;
                if (next > stream.Length)
                {
                    throw Truncated(path, position, $"page {BinaryPrimitives.ReadUInt32LittleEndian(header[18..])}, which declares {bodyBytes} body bytes");
                }

                sawEndOfStream = (header[5] & EndOfStreamFlag) != 0;
                pages++;
                position = next;
            }

            if (!sawEndOfStream)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                    $"the Ogg stream ends after {pages} complete pages without an end-of-stream page");
            }
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static MediaDecodeException Truncated(string path, long position, string what) =>
        new(path, MediaDecodeFailure.Truncated, $"the file ends inside {what} starting at byte {position}");
}

using System.IO.MemoryMappedFiles;
using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace HybridSearch.Codecs;

/// <summary>
/// One index file of a segment, mapped read-only into the address space, so that readers use the bytes in the
/// operating system's page cache instead of copies in the managed heap. A file of a compound segment (.cfs) is mapped
/// as its slice of the compound file (the slice is found in the .cfe entry table). A directory that is not on the file
/// system (e.g. <see cref="RAMDirectory"/>) cannot be mapped: its file is copied into a pinned array instead.
/// </summary>
/// <remarks>Lucene.Net's own <see cref="MMapDirectory"/> inputs do not expose their memory, so the file is mapped here
/// with <see cref="MemoryMappedFile"/> (shared read-only pages: the same pages Lucene's inputs read).</remarks>
internal sealed unsafe class MappedIndexFile : IDisposable
{
    // Lucene 4.8 CompoundFileWriter's entry table (.cfe): header, vint count, then (string id, int64 offset, int64 length).
    private const string CompoundEntriesCodec = "CompoundFileWriterEntries";
    private const int CompoundVersionStart = 0;
    private const int CompoundVersionChecksum = 1;

    private MemoryMappedViewAccessor? _view;
    private byte[]? _copy;

    private MappedIndexFile(string name, byte* pointer, long length, MemoryMappedViewAccessor? view, byte[]? copy)
    {
        Name = name;
        Pointer = pointer;
        Length = length;
        _view = view;
        _copy = copy;
    }

    /// <summary>The file's name in the segment (for error messages).</summary>
    public string Name { get; }

    /// <summary>The first byte of the file (its codec header).</summary>
    public byte* Pointer { get; private set; }

    /// <summary>Length of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>True when the file is memory-mapped (false: copied, because the directory is not on disk).</summary>
    public bool IsMapped => _view is not null;

    /// <summary>Maps <paramref name="fileName"/> of the segment being opened; <paramref name="expectedLength"/> is its
    /// length as Lucene's own input reports it, which the mapping must match.</summary>
    public static MappedIndexFile Open(SegmentReadState state, string fileName, long expectedLength)
    {
        var location = Locate(state, fileName);
        if (location is { } found)
        {
            if (found.Length != expectedLength)
            {
                throw new CorruptIndexException($"{fileName}: mapped {found.Length} bytes at {found.Path}:{found.Offset}, but the directory reports {expectedLength}.");
            }

            return Map(fileName, found.Path, found.Offset, found.Length);
        }

        return Copy(state.Directory, fileName, state.Context, expectedLength);
    }

    private static (string Path, long Offset, long Length)? Locate(SegmentReadState state, string fileName)
    {
        var directory = state.Directory;
        if (directory is CompoundFileDirectory)
        {
            if (Unwrap(state.SegmentInfo.Dir) is not FSDirectory outer)
            {
                return null;
            }

            var segment = state.SegmentInfo.Name;
            var entries = IndexFileNames.SegmentFileName(segment, string.Empty, IndexFileNames.COMPOUND_FILE_ENTRIES_EXTENSION);
            var data = IndexFileNames.SegmentFileName(segment, string.Empty, IndexFileNames.COMPOUND_FILE_EXTENSION);
            var (offset, length) = FindCompoundEntry(outer, entries, IndexFileNames.StripSegmentName(fileName));
            return (Path.Combine(outer.Directory.FullName, data), offset, length);
        }

        if (Unwrap(directory) is FSDirectory fs)
        {
            var path = Path.Combine(fs.Directory.FullName, fileName);
            return (path, 0, new FileInfo(path).Length);
        }

        return null;
    }

    private static Lucene.Net.Store.Directory Unwrap(Lucene.Net.Store.Directory directory)
    {
        while (directory is FilterDirectory filter)
        {
            directory = filter.Delegate;
        }

        return directory;
    }

    private static (long Offset, long Length) FindCompoundEntry(FSDirectory directory, string entriesName, string id)
    {
        using var input = directory.OpenChecksumInput(entriesName, IOContext.READ_ONCE);
        var version = CodecUtil.CheckHeader(input, CompoundEntriesCodec, CompoundVersionStart, CompoundVersionChecksum);
        var count = input.ReadVInt32();
        (long, long)? found = null;
        for (var i = 0; i < count; i++)
        {
            var name = input.ReadString();
            var offset = input.ReadInt64();
            var length = input.ReadInt64();
            if (string.Equals(name, id, StringComparison.Ordinal))
            {
                found = (offset, length);
            }
        }

        if (version >= CompoundVersionChecksum)
        {
            CodecUtil.CheckFooter(input);
        }

        return found ?? throw new CorruptIndexException($"{entriesName}: the compound file has no entry '{id}'.");
    }

    private static MappedIndexFile Map(string name, string path, long offset, long length)
    {
        // FileShare.Delete: Lucene deletes files a newer commit no longer needs while readers still map them.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        // The view outlives the file handle and the mapping object: the pages stay mapped until the view is disposed.
        var view = file.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        try
        {
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        }
        catch
        {
            view.Dispose();
            throw;
        }

        return new MappedIndexFile(name, pointer + view.PointerOffset, length, view, null);
    }

    private static MappedIndexFile Copy(Lucene.Net.Store.Directory directory, string name, IOContext context, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new NotSupportedException($"{name}: {length} bytes is too large to load from a {directory.GetType().Name}; use an FSDirectory.");
        }

        var copy = GC.AllocateUninitializedArray<byte>((int)length, pinned: true);
        using (var input = directory.OpenInput(name, context))
        {
            input.ReadBytes(copy, 0, copy.Length);
        }

        fixed (byte* pointer = copy)
        {
            // The array is on the pinned object heap: its address is fixed for its lifetime.
            return new MappedIndexFile(name, pointer, length, null, copy);
        }
    }

    public void Dispose()
    {
        if (_view is { } view)
        {
            _view = null;
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
        }

        _copy = null;
        Pointer = null;
    }
}

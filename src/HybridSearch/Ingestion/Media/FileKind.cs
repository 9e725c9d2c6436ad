namespace HybridSearch.Ingestion.Media;

/// <summary>What a path names once symbolic links are followed (see <see cref="FileKinds.Of"/>). Ingestion reads
/// only <see cref="RegularFile"/>s: opening a FIFO for reading blocks until a writer comes, and a device such as
/// <c>/dev/zero</c> never ends.</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path (or a symbolic link points at nothing).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A character device (<c>/dev/zero</c>, a terminal).</summary>
    CharacterDevice,

    /// <summary>A block device (a disk).</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Anything else the operating system reports, or a path whose type cannot be read (a link loop).</summary>
    Other,
}

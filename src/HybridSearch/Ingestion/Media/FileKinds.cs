using System.Runtime.InteropServices;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Tells what kind of file a path names without opening it. On Linux the type comes from <c>statx(2)</c>, which
/// follows symbolic links like <c>open(2)</c> would; elsewhere (or on a C library without <c>statx</c>) from .NET's
/// own file information, which tells directories from files but not FIFOs or devices from regular files.
/// </summary>
public static unsafe class FileKinds
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int StatxBufferBytes = 256;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;
    private const int TooManyLinks = 40;

    private static readonly delegate* unmanaged<int, byte*, int, uint, byte*, int> Statx = LoadStatx();

    /// <summary>The kind of file at <paramref name="path"/>, after following symbolic links.</summary>
    /// <param name="path">Any path; relative paths are relative to the current directory.</param>
    public static FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Statx is not null)
        {
            var result = TryStatx(path);
            if (result is { } kind)
            {
                return kind;
            }
        }

        if (Directory.Exists(path))
        {
            return FileKind.Directory;
        }

        return File.Exists(path) ? FileKind.RegularFile : FileKind.Missing;
    }

    /// <summary>The kind in words for error messages, e.g. "a FIFO (named pipe)".</summary>
    /// <param name="kind">The kind.</param>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    private static FileKind? TryStatx(string path)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(path);
        var name = length < 1024 ? stackalloc byte[length + 1] : new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, name);
        name[length] = 0;
        var buffer = stackalloc byte[StatxBufferBytes];
        int status;
        fixed (byte* namePointer = name)
        {
            status = Statx(AtCurrentDirectory, namePointer, 0, StatxType, buffer);
        }

        if (status != 0)
        {
            // Read at once, before anything else can touch errno. A dangling link is missing (although .NET's
            // File.Exists says true for it); for anything unexpected .NET's own checks decide.
            return Marshal.GetLastSystemError() switch
            {
                NoSuchFile or NotADirectory => FileKind.Missing,
                TooManyLinks => FileKind.Other,
                _ => null,
            };
        }

        // The S_IFMT bits of stx_mode (a little __u16 at byte 28 of struct statx on every architecture).
        var mode = *(ushort*)(buffer + StatxModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    private static delegate* unmanaged<int, byte*, int, uint, byte*, int> LoadStatx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var name in new[] { "libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc" })
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "statx", out var statx))
            {
                return (delegate* unmanaged<int, byte*, int, uint, byte*, int>)statx;
            }
        }

        return null;
    }
}

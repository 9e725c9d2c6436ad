using System.Globalization;
using System.Runtime.InteropServices;

namespace HybridSearch.Indexing;

/// <summary>
/// The one-writer-per-index lock, across processes: an exclusive operating-system lock on
/// <see cref="LockFileName"/> in the index directory, held from opening until disposal. Lucene.Net 4.8's own
/// <c>write.lock</c> is not enough: on Linux its native lock is a shared <c>flock</c>, so a second process was let in
/// and both writers deleted each other's files.
/// </summary>
/// <remarks>
/// On Unix the file is opened with <see cref="FileShare.None"/> (which .NET implements as <c>flock(LOCK_EX)</c>) and
/// locked again with <c>flock(LOCK_EX | LOCK_NB)</c> directly, so the lock holds even when
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns .NET's own locking off; on Windows the share mode is the lock.
/// Either way the kernel drops it when the process ends, however it ends, so a stale lock file never blocks. The
/// holder's process id is written to <see cref="OwnerFileName"/> (a separate file: the locked one cannot be read by
/// the process that is refused).
/// </remarks>
internal sealed partial class IndexWriterLock : IDisposable
{
    /// <summary>The file the lock is taken on (never matches Lucene's file-name patterns, so Lucene leaves it alone).</summary>
    public const string LockFileName = "hybridsearch-writer.lock";

    /// <summary>The file naming the holder: its process id on the first line.</summary>
    public const string OwnerFileName = "hybridsearch-writer.owner";

    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    private readonly FileStream _stream;

    private IndexWriterLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on the index in <paramref name="directory"/> at once, or throws.</summary>
    /// <exception cref="IndexLockedException">Another writer holds it.</exception>
    public static IndexWriterLock Acquire(string directory)
    {
        var lockPath = Path.Combine(directory, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            // The sharing violation: another open handle holds the exclusive lock.
            throw new IndexLockedException(directory, ReadOwner(directory), exception);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && Flock((int)stream.SafeFileHandle.DangerousGetHandle(), LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                throw new IndexLockedException(directory, ReadOwner(directory), new IOException($"flock on '{lockPath}' failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})."));
            }

            File.WriteAllText(Path.Combine(directory, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            return new IndexWriterLock(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock (the owner file stays; it is only read when the lock is held).</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>The process id the holder recorded, or null when the file is missing or unreadable (the holder may
    /// not have written it yet).</summary>
    private static int? ReadOwner(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}

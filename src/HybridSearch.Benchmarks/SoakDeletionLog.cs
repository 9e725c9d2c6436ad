using System.Text;

namespace HybridSearch.Benchmarks;

/// <summary>
/// The writer process's deletions, one record id a line, appended after the commit that made them durable; reader
/// processes read the lines that are complete (a line being written is left for the next read).
/// </summary>
internal sealed class SoakDeletionLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly bool _writable;
    private readonly List<byte> _partial = [];

    private SoakDeletionLog(FileStream stream, bool writable)
    {
        _stream = stream;
        _writable = writable;
    }

    public static SoakDeletionLog CreateForWriting(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), writable: true);

    public static SoakDeletionLog OpenForReading(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), writable: false);

    public void Append(IReadOnlyCollection<string> ids)
    {
        if (!_writable)
        {
            throw new InvalidOperationException("The deletion log was opened for reading.");
        }

        if (ids.Count == 0)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(string.Concat(ids.Select(id => id + "\n")));
        _stream.Write(bytes);
        _stream.Flush();
    }

    /// <summary>The ids of the lines completed since the last read.</summary>
    public List<string> ReadNew()
    {
        var ids = new List<string>();
        var buffer = new byte[8192];
        int read;
        while ((read = _stream.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    ids.Add(Encoding.UTF8.GetString(_partial.ToArray()));
                    _partial.Clear();
                }
                else
                {
                    _partial.Add(buffer[i]);
                }
            }
        }

        return ids;
    }

    public void Dispose() => _stream.Dispose();
}

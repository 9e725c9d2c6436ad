using System.Text.Json;
using System.Text.RegularExpressions;
using HybridSearch.Indexing;

namespace HybridSearch.Tests.Cli;

/// <summary>What only real processes can show: one writer across processes, a killed writer's lock, Ctrl-C.</summary>
[Collection(CliProcessCollection.Name)]
public sealed partial class CliProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A text-only manifest big enough that indexing it takes a while (MiniLM embeds every record). Short texts
    /// (8 words take under half the CPU of 40) get a writer to a given count sooner; a test that needs the writer busy
    /// while other processes start keeps long ones (a faster writer would only write more for the checks to read).</summary>
    private string Manifest(int records, int textWords = 8)
    {
        var path = _temp.Combine("manifest.jsonl");
        var words = "alpha beta gamma delta river mountain lake forest city bridge night sunrise ocean harbor train station".Split(' ');
        var random = new Random(records);
        File.WriteAllLines(path, Enumerable.Range(0, records).Select(i => JsonSerializer.Serialize(new
        {
            id = $"r{i:D5}",
            title = string.Join(' ', Enumerable.Range(0, 3).Select(_ => words[random.Next(words.Length)])),
            text = string.Join(' ', Enumerable.Range(0, textWords).Select(_ => words[random.Next(words.Length)])),
        })));
        return path;
    }

    private static int Records(string index)
    {
        using var reader = HybridIndex.OpenReadOnly(index);
        return reader.GetStats().Records;
    }

    private static int Progress(CliProcess process)
    {
        var matches = ProgressLine().Matches(process.Error);
        return matches.Count == 0 ? 0 : int.Parse(matches[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"indexed (\d+)/")]
    private static partial Regex ProgressLine();

    [Fact]
    public async Task A_second_writer_process_is_refused_and_a_killed_writer_leaves_no_lock_behind()
    {
        var index = _temp.Combine("index");
        var manifest = Manifest(3000, textWords: 40);
        using var writer = CliProcess.Start("index", "--index", index, "--manifest", manifest, "--commit-every", "50");
        var owner = Path.Combine(index, IndexWriterLock.OwnerFileName);
        Assert.True(
            await CliProcess.EventuallyAsync(() => Progress(writer) >= 100 && File.Exists(owner) && File.ReadAllText(owner).Trim() == writer.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Patience),
            $"the writer never got going: {writer.Error}");

        // Another process: the CLI's delete, and a second index run.
        using (var second = CliProcess.Start("delete", "--index", index, "--id", "r00001"))
        {
            Assert.Equal(1, await second.WaitAsync(Patience));
            Assert.Contains(index, second.Error, StringComparison.Ordinal);
            Assert.Contains($"process {writer.Process.Id}", second.Error, StringComparison.Ordinal);
        }

        using (var third = CliProcess.Start("index", "--index", index, "--manifest", manifest))
        {
            Assert.Equal(1, await third.WaitAsync(Patience));
            Assert.Contains("locked by another writer", third.Error, StringComparison.Ordinal);
        }

        // Readers are never refused; what they see is committed and must survive the writer's death.
        var committed = Records(index);
        Assert.True(committed > 0);
        writer.Signal("KILL");
        await writer.WaitAsync(Patience);

        using var next = HybridIndex.Open(index); // the kernel dropped the dead writer's lock
        Assert.True(next.GetStats().Records >= committed);
        Assert.True(HybridIndex.Check(index).IsClean);
    }

    [Fact]
    public async Task AWriterKilledInTheMiddleOfAMergeLosesNothingCommittedAndItsPartialSegmentIsCleanedUp()
    {
        var index = _temp.Combine("index");
        // Long texts: with short ones flushes come so fast that the loop below catches a flush between writing its files
        // and packing them into a compound file (also a .vec without its .si), and the "merge" is gone by the kill.
        using var writer = CliProcess.Start("index", "--index", index, "--manifest", Manifest(4000, textWords: 40), "--commit-every", "50");

        // Past 1,000 committed records a flush of 50 is under 10% of the index, so Lucene writes it as a compound
        // file; the segments written as separate files are the merges' folds (more than 10% of the index). A fold's
        // vector file without its .si yet is a merge writing right now (Lucene writes the .si after the data).
        Assert.True(await CliProcess.EventuallyAsync(() => Progress(writer) >= 1000 && Records(index) >= 1000, Patience), $"indexing never got going: {writer.Error}");
        var committed = RecordIds(index); // a subset of what is committed when the kill comes
        string? merging = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (merging is null && !writer.Process.HasExited && watch.Elapsed < Patience)
        {
            merging = SegmentBeingMerged(index);
            if (merging is null)
            {
                await Task.Delay(1);
            }
        }

        writer.Process.Kill(); // SIGKILL, at once
        await writer.WaitAsync(Patience);
        Assert.True(merging is not null, $"no merge was caught in flight before the writer finished: {writer.Error}");
        Assert.True(Directory.EnumerateFiles(index, merging + "_*.vec").Any() && !File.Exists(Path.Combine(index, merging + ".si")), "the kill came after the merge had finished its files");

        using (var reopened = HybridIndex.Open(index))
        {
            Assert.Empty(Directory.EnumerateFiles(index, merging + "_*")); // the partial fold is garbage, deleted on open
            var after = RecordIds(reopened);
            Assert.Empty(committed.Except(after));
            reopened.Upsert(new IndexedRecord("after-the-crash", text: "a record written after the crash"));
            reopened.Commit();
            Assert.Equal(after.Count + 1, RecordIds(reopened).Count);
        }

        Assert.True(HybridIndex.Check(index).IsClean);
    }

    /// <summary>The name of a segment whose vector file exists without the segment's .si (a merge writing its files),
    /// or null.</summary>
    private static string? SegmentBeingMerged(string index)
    {
        try
        {
            foreach (var vectors in Directory.EnumerateFiles(index, "_*_HnswVectors*.vec"))
            {
                var name = Path.GetFileName(vectors);
                var segment = name[..name.IndexOf('_', 1)];
                if (!File.Exists(Path.Combine(index, segment + ".si")))
                {
                    return segment;
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return null;
    }

    private static HashSet<string> RecordIds(string index)
    {
        using var reader = HybridIndex.OpenReadOnly(index);
        return RecordIds(reader);
    }

    private static HashSet<string> RecordIds(HybridIndex index)
    {
        index.Refresh();
        using var lease = index.AcquireSearcher();
        var recordKind = RecordDocumentBuilder.KindName(DocumentKind.Record);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in lease.Searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            var live = reader.LiveDocs;
            for (var doc = 0; doc < reader.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                {
                    continue;
                }

                var stored = reader.Document(doc);
                if (stored.Get(IndexFieldNames.Kind) == recordKind)
                {
                    ids.Add(stored.Get(IndexFieldNames.Id));
                }
            }
        }

        return ids;
    }

    [SkippableFact]
    public async Task Ctrl_C_during_index_commits_what_is_done_prints_the_summary_and_exits_130()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the test reads the signal mask from /proc and signals with kill(1).");
        Skip.If(SigintIgnored() && !CliProcess.CanRestoreDefaultSigint, "SIGINT is ignored in this test process (started in the background by a non-interactive shell) and /usr/bin/env cannot reset it for the child, so the child cannot receive Ctrl-C.");
        const int manifestRecords = 9000;
        var index = _temp.Combine("index");
        using var run = CliProcess.Start("index", "--index", index, "--manifest", Manifest(manifestRecords), "--commit-every", "1000000");
        Assert.True(await CliProcess.EventuallyAsync(() => Progress(run) >= 50, Patience), $"indexing never got going: {run.Error}");

        run.Signal("INT");
        Assert.Equal(130, await run.WaitAsync(Patience));

        var summary = SummaryLine().Match(run.Out);
        Assert.True(summary.Success, $"no summary: {run.Out}");
        var indexed = int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(indexed, 50, manifestRecords - 1);
        Assert.Contains("interrupted", run.Error, StringComparison.Ordinal);
        Assert.Equal(indexed, Records(index)); // nothing was committed before Ctrl-C (commit every 1000000): all by it
    }

    [GeneratedRegex(@"^indexed (\d+) of \d+ items", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    /// <summary>True when SIGINT is ignored in this process (bit 1 of SigIgn in /proc/self/status); children inherit it.</summary>
    private static bool SigintIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }
}

using HybridSearch.Codecs;
using HybridSearch.Records;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Indexing;

/// <summary>
/// A HybridSearch index in a directory on disk: Lucene documents for records, images, transcript segments and text
/// chunks, with vectors and HNSW graphs stored by <see cref="HybridCodec"/>. Thread-safe: upserts, deletes, commits
/// and searches may come from many threads at once.
/// </summary>
/// <remarks>
/// Changes become visible to searchers after <see cref="Refresh"/> (near-real-time, no commit needed) and durable
/// after <see cref="Commit"/>. The schema — vector fields with their embedders, metadata field kinds — is stored in
/// the commit itself, so it can never disagree with the documents it describes.
/// </remarks>
/// <example>
/// <code>
/// using var index = HybridIndex.Open("my-index", HybridIndexOptions.Default
///     .WithVectorField(IndexFieldNames.TextVector, new VectorFieldOptions(384, VectorSimilarity.Cosine) { Embedder = "all-MiniLM-L6-v2" }));
/// index.Upsert(new IndexedRecord("doc-1", "Title", "Some text"));
/// index.Commit();
/// </code>
/// </example>
public sealed class HybridIndex : IDisposable, IIndexedRecordSink
{
    private readonly FSDirectory _directory;
    private readonly IndexWriter? _writer;
    private readonly CorruptionAwareMergeScheduler? _mergeScheduler;
    private readonly IndexWriterLock? _writerLock;
    private readonly SearcherManager _searchers;
    private readonly MetadataKinds _metadataKinds;
    private readonly object _commitGate = new();
    private string? _fusionProfileJson;
    private int _disposed;

    private HybridIndex(string path, FSDirectory directory, IndexWriter? writer, IndexWriterLock? writerLock, SearcherManager searchers, HybridIndexOptions options, Analyzer analyzer, MetadataKinds kinds)
    {
        Path = path;
        _directory = directory;
        _writer = writer;
        _mergeScheduler = writer?.Config.MergeScheduler as CorruptionAwareMergeScheduler; // still readable after Dispose
        _writerLock = writerLock;
        _searchers = searchers;
        Options = options;
        Analyzer = analyzer;
        Similarity = options.CreateSimilarity();
        _metadataKinds = kinds;
    }

    /// <summary>The index directory.</summary>
    public string Path { get; }

    /// <summary>The effective options: those given, plus the vector fields the index already had.</summary>
    public HybridIndexOptions Options { get; }

    /// <summary>Vector fields with their settings and embedders.</summary>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields => Options.VectorFields;

    /// <summary>The analyzer of text fields, for building lexical queries that match how text was indexed.</summary>
    public Analyzer Analyzer { get; }

    /// <summary>The BM25 similarity searchers use.</summary>
    public Similarity Similarity { get; }

    /// <summary>False when opened with <see cref="OpenReadOnly"/>.</summary>
    public bool IsWritable => _writer is not null;

    /// <summary>Metadata field names and their kinds.</summary>
    public IReadOnlyDictionary<string, FieldKind> MetadataFields => _metadataKinds.Snapshot();

    internal bool TryGetMetadataKind(string name, out FieldKind kind) => _metadataKinds.TryGet(name, out kind);

    /// <summary>Opens the index at <paramref name="path"/> for reading and writing, creating it when absent. The
    /// index has one writer at a time, across processes: this takes an exclusive operating-system lock that
    /// <see cref="Dispose"/> releases (and that vanishes with the process if it dies).</summary>
    /// <exception cref="EmbedderMismatchException">A vector field in <paramref name="options"/> names another embedder, dimension or
    /// similarity than the index records (<see cref="VectorFieldOptions.CheckEmbedder"/>).</exception>
    /// <exception cref="IndexLockedException">Another writer, in this process or another, holds the index.</exception>
    /// <exception cref="IndexCorruptException">The index's files are damaged; the message names them.</exception>
    public static HybridIndex Open(string path, HybridIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= HybridIndexOptions.Default;
        HybridCodec.Register();
        System.IO.Directory.CreateDirectory(path);
        var writerLock = IndexWriterLock.Acquire(path);
        FSDirectory directory;
        try
        {
            directory = FSDirectory.Open(path);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }

        IndexWriter? writer = null;
        try
        {
            var (stored, kinds) = ReadSchema(directory, path);
            var effective = Merge(options, stored);
            var analyzer = effective.AnalyzerFactory();
            var mergeScheduler = new CorruptionAwareMergeScheduler();
            VectorMergePolicy.Configure(mergeScheduler);
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
            {
                Codec = new HybridCodec(effective.VectorFields),
                Similarity = effective.CreateSimilarity(),
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = effective.RamBufferMB,
                MergeScheduler = mergeScheduler,
                MergePolicy = new VectorMergePolicy(effective.SegmentsPerTier),
                CheckIntegrityAtMerge = true, // a damaged segment must fail its merge, not be laundered into a new one
            };
            writer = new IndexWriter(directory, config);
            var searchers = new SearcherManager(writer, applyAllDeletes: true, new SimilaritySearcherFactory(effective.CreateSimilarity()));
            var index = new HybridIndex(path, directory, writer, writerLock, searchers, effective, analyzer, kinds) { _fusionProfileJson = ReadFusionProfileJson(directory) };
            if (stored.Count != effective.VectorFields.Count || !DirectoryReader.IndexExists(directory))
            {
                index.Commit(); // records the schema right away, so a reader of an empty index knows its fields
            }

            return index;
        }
        catch (Exception exception) when (IndexCorruption.Translate(path, directory, exception) is { } corrupt)
        {
            DisposeQuietly(writer);
            directory.Dispose();
            writerLock.Dispose();
            throw corrupt;
        }
        catch
        {
            DisposeQuietly(writer);
            directory.Dispose();
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Closes a writer whose opening failed without committing anything (never write to an index that may be
    /// damaged); its own failure to close must not hide the error that matters.</summary>
    private static void DisposeQuietly(IndexWriter? writer)
    {
        try
        {
            writer?.Rollback();
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // The original error is rethrown by the caller.
        }
    }

    /// <summary>Opens an existing index for searching only; it does not take the write lock, so it can be used while
    /// another process indexes (it sees that process's commits after <see cref="Refresh"/>).</summary>
    /// <exception cref="DirectoryNotFoundException">There is no HybridSearch index at <paramref name="path"/>.</exception>
    /// <exception cref="IndexCorruptException">The index's files are damaged; the message names them.</exception>
    public static HybridIndex OpenReadOnly(string path, HybridIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= HybridIndexOptions.Default;
        HybridCodec.Register();
        if (!System.IO.Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"No index at '{path}': the directory does not exist.");
        }

        var directory = FSDirectory.Open(path);
        try
        {
            if (!DirectoryReader.IndexExists(directory))
            {
                throw new DirectoryNotFoundException($"No index at '{path}': the directory holds no Lucene index.");
            }

            var (stored, kinds) = ReadSchema(directory, path);
            var effective = Merge(options, stored);
            var searchers = new SearcherManager(directory, new SimilaritySearcherFactory(effective.CreateSimilarity()));
            return new HybridIndex(path, directory, null, null, searchers, effective, effective.AnalyzerFactory(), kinds) { _fusionProfileJson = ReadFusionProfileJson(directory) };
        }
        catch (Exception exception) when (IndexCorruption.Translate(path, directory, exception) is { } corrupt)
        {
            directory.Dispose();
            throw corrupt;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the index at <paramref name="path"/> without changing it (it can run while a writer works, and checks
    /// the last commit): every file against its checksum, Lucene's CheckIndex, and that every record's documents are
    /// whole (no orphan child, no record stored twice, no missing child). Use it after a crash or when a command
    /// reports <see cref="IndexCorruptException"/>; to repair, restore from a backup or re-index the affected records
    /// into a new index.
    /// </summary>
    /// <param name="path">The index directory.</param>
    /// <returns>What was checked and every problem found, naming the file or the record.</returns>
    /// <exception cref="DirectoryNotFoundException">There is no index at <paramref name="path"/>.</exception>
    public static IndexCheckReport Check(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return IndexChecker.Check(path);
    }

    /// <summary>
    /// The fitted fusion profile stored in the index (JSON of <c>HybridSearch.Fusion.FusionProfile</c>, written by
    /// <c>hybridsearch tune</c> or <see cref="SaveFusionProfileJson"/>), or null when none is. Searchers use it unless
    /// told otherwise (<c>HybridSearchOptions.UseIndexProfile = false</c>, <c>search --profile default</c>).
    /// </summary>
    public string? FusionProfileJson => Volatile.Read(ref _fusionProfileJson);

    /// <summary>Stores <paramref name="json"/> as the index's fusion profile (null removes it) and commits, with any
    /// pending changes; readers opened afterwards see it. The caller validates the JSON (<c>FusionProfile.FromJson</c>).</summary>
    /// <param name="json">The profile's JSON, or null.</param>
    /// <exception cref="InvalidOperationException">The index was opened read-only.</exception>
    /// <exception cref="IndexCorruptException">As <see cref="Commit"/>.</exception>
    public void SaveFusionProfileJson(string? json)
    {
        _ = Writable();
        Volatile.Write(ref _fusionProfileJson, string.IsNullOrWhiteSpace(json) ? null : json);
        Commit();
    }

    private static string? ReadFusionProfileJson(FSDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }

        var infos = new SegmentInfos();
        infos.Read(directory);
        return infos.UserData.TryGetValue(IndexSchemaStore.FusionProfileKey, out var json) && !string.IsNullOrWhiteSpace(json) ? json : null;
    }

    private static (Dictionary<string, VectorFieldOptions> VectorFields, MetadataKinds Kinds) ReadSchema(FSDirectory directory, string path)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return (new Dictionary<string, VectorFieldOptions>(StringComparer.Ordinal), new MetadataKinds());
        }

        var infos = new SegmentInfos();
        infos.Read(directory);
        var data = infos.UserData;
        data.TryGetValue(IndexSchemaStore.VectorFieldsKey, out var vectorJson);
        data.TryGetValue(IndexSchemaStore.MetadataKindsKey, out var kindsJson);
        return (IndexSchemaStore.VectorFieldsFromJson(vectorJson, path), MetadataKinds.FromJson(kindsJson));
    }

    private static HybridIndexOptions Merge(HybridIndexOptions options, Dictionary<string, VectorFieldOptions> stored)
    {
        var effective = options;
        foreach (var (name, existing) in stored)
        {
            if (options.VectorFields.TryGetValue(name, out var wanted))
            {
                existing.CheckEmbedder(name, wanted.Embedder, wanted.Dimension, wanted.Similarity, "the options name");
            }
            else
            {
                effective = effective.WithVectorField(name, existing);
            }
        }

        return effective;
    }

    /// <summary>Adds the record, or replaces it and all its children (images, segments, chunks) in one atomic step.</summary>
    /// <exception cref="InvalidVectorException">A vector has the wrong dimension or is not finite; nothing is written.</exception>
    /// <exception cref="SchemaMismatchException">A metadata field's kind or a vector field disagrees with the index; nothing is written.</exception>
    public void Upsert(IndexedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = Writable();
        var docs = RecordDocumentBuilder.Build(record, VectorFields, _metadataKinds);
        writer.UpdateDocuments(new Term(IndexFieldNames.Parent, record.Id), docs);
    }

    /// <summary>Deletes the record and all its children (a no-op when the id is unknown).</summary>
    public void Delete(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Writable().DeleteDocuments(new Term(IndexFieldNames.Parent, id));
    }

    /// <summary>Makes every change so far durable, together with the schema.</summary>
    /// <exception cref="IndexCorruptException">The index holds a damaged segment (found by this commit or by a
    /// background merge since the last one); changes made before it are committed nevertheless.</exception>
    public void Commit()
    {
        var writer = Writable();
        lock (_commitGate)
        {
            try
            {
                writer.SetCommitData(CommitData());
                writer.Commit();
            }
            catch (Exception exception) when (TranslateCorruption(exception) is { } corrupt)
            {
                throw corrupt;
            }

            // A background merge that failed since the last commit: the changes above are durable, but the index holds a
            // damaged segment that the caller must hear about.
            if ((writer.Config.MergeScheduler as CorruptionAwareMergeScheduler)?.TakeFailure() is { } mergeFailure)
            {
                throw TranslateCorruption(mergeFailure.InnerException ?? mergeFailure) ?? TranslateCorruption(mergeFailure)
                    ?? new HybridSearchException($"Index '{Path}': a background merge failed (the index keeps its unmerged segments): {IndexCorruption.Describe(mergeFailure.InnerException ?? mergeFailure)}", mergeFailure);
            }
        }
    }

    /// <summary>The <see cref="IndexCorruptException"/> that <paramref name="exception"/> reveals (after checking the
    /// index's files, to name the damaged ones), or null when it is not a sign of a damaged index.</summary>
    internal IndexCorruptException? TranslateCorruption(Exception exception) => IndexCorruption.Translate(Path, _directory, exception);

    private Dictionary<string, string> CommitData()
    {
        var data = new Dictionary<string, string>
        {
            [IndexSchemaStore.FormatVersionKey] = IndexSchemaStore.FormatVersion,
            [IndexSchemaStore.VectorFieldsKey] = IndexSchemaStore.VectorFieldsToJson(VectorFields),
            [IndexSchemaStore.MetadataKindsKey] = _metadataKinds.ToJson(),
        };
        if (FusionProfileJson is { } profile)
        {
            data[IndexSchemaStore.FusionProfileKey] = profile;
        }

        return data;
    }

    /// <summary>Makes changes so far visible to searchers acquired afterwards (near-real-time; not durable until committed).</summary>
    /// <exception cref="IndexCorruptException">A new segment's files are damaged; the message names them.</exception>
    public void Refresh()
    {
        try
        {
            _searchers.MaybeRefreshBlocking();
        }
        catch (Exception exception) when (TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    /// <summary>Borrows a searcher over the index as of the last refresh. Dispose the lease when done.</summary>
    public SearcherLease AcquireSearcher()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new SearcherLease(_searchers);
    }

    /// <summary>Wall time this writer has spent merging segments since it was opened (background merges and those
    /// finished at <see cref="Dispose"/>, summed over merge threads); zero for a read-only index.</summary>
    public TimeSpan MergeTime => _mergeScheduler?.MergeTime ?? TimeSpan.Zero;

    /// <summary>Counts of what the index holds, as of the last refresh, and its size on disk.</summary>
    /// <exception cref="IndexCorruptException">The index's files are damaged; the message names them.</exception>
    public IndexStats GetStats()
    {
        try
        {
            return ReadStats();
        }
        catch (Exception exception) when (TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    private IndexStats ReadStats()
    {
        using var lease = AcquireSearcher();
        var searcher = lease.Searcher;
        int Count(DocumentKind kind) => searcher.Search(new TermQuery(new Term(IndexFieldNames.Kind, RecordDocumentBuilder.KindName(kind))), 1).TotalHits;
        long size = 0;
        foreach (var file in _directory.ListAll())
        {
            try
            {
                size += _directory.FileLength(file);
            }
            catch (FileNotFoundException)
            {
                // Deleted by a concurrent merge between listing and measuring.
            }
        }

        return new IndexStats(
            Count(DocumentKind.Record),
            Count(DocumentKind.Image),
            Count(DocumentKind.Segment),
            Count(DocumentKind.Chunk),
            VectorFields,
            MetadataFields,
            size,
            searcher.IndexReader.Leaves.Count);
    }

    private IndexWriter Writable()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _writer ?? throw new InvalidOperationException($"Index '{Path}' was opened read-only.");
    }

    /// <summary>Commits pending changes (when writable) and releases the index.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_writer is not null)
            {
                FinishFolds(_writer);
                lock (_commitGate)
                {
                    // Disposing the writer commits pending changes; the schema goes with them.
                    _writer.SetCommitData(CommitData());
                }
            }

            _searchers.Dispose();
            _writer?.Dispose();
        }
        finally
        {
            Analyzer.Dispose();
            _directory.Dispose();
            _writerLock?.Dispose(); // last: the next writer may start only when this one has closed every file
        }
    }

    /// <summary>Lucene starts no merge while a writer closes, so the small segments a running fold left behind would
    /// stay, and a closed index would search like several. Before closing, the merge policy folds what is left into the
    /// largest segment (<see cref="VectorMergePolicy.FoldEverything"/>), and the writer waits for it.</summary>
    private static void FinishFolds(IndexWriter writer)
    {
        if (writer.Config.MergePolicy is not VectorMergePolicy policy)
        {
            return;
        }

        policy.FoldEverything = true;
        for (var round = 0; round < 3; round++)
        {
            writer.MaybeMerge();
            writer.WaitForMerges();
            if (!writer.HasPendingMerges())
            {
                break;
            }
        }
    }

    private sealed class SimilaritySearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}

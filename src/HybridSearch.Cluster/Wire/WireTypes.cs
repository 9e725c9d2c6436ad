using HybridSearch.Codecs;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Records;
using HybridSearch.Vectors;
using Lucene.Net.Search;

namespace HybridSearch.Cluster.Wire;

// The messages between the coordinator (a cluster client) and the shard grains. Plain values the Orleans serializer
// generates code for; the library's own types stay free of Orleans attributes and are converted at the edges.

[GenerateSerializer, Immutable]
internal sealed record WireField([property: Id(0)] string Name, [property: Id(1)] FieldKind Kind, [property: Id(2)] string? Keyword, [property: Id(3)] double Number, [property: Id(4)] DateTimeOffset Date)
{
    public static WireField From(string name, FieldValue value) => new(name, value.Kind, value.KeywordValue, value.NumberValue, value.DateValue);

    public FieldValue ToValue() => Kind switch
    {
        FieldKind.Keyword => FieldValue.Keyword(Keyword!),
        FieldKind.Number => FieldValue.Number(Number),
        _ => FieldValue.Date(Date),
    };

    public static List<WireField> FromMap(IReadOnlyDictionary<string, FieldValue>? map) =>
        map is null ? [] : map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => From(p.Key, p.Value)).ToList();

    public static Dictionary<string, FieldValue> ToMap(IEnumerable<WireField> fields) =>
        fields.ToDictionary(f => f.Name, f => f.ToValue(), StringComparer.Ordinal);
}

[GenerateSerializer, Immutable]
internal sealed record WireImage([property: Id(0)] string Path, [property: Id(1)] string? Caption, [property: Id(2)] Dictionary<string, float[]> Vectors, [property: Id(3)] List<WireField>? Metadata);

[GenerateSerializer, Immutable]
internal sealed record WireSegment([property: Id(0)] string AudioPath, [property: Id(1)] long StartMs, [property: Id(2)] long EndMs, [property: Id(3)] string Text);

[GenerateSerializer, Immutable]
internal sealed record WireChunk([property: Id(0)] int Start, [property: Id(1)] int End, [property: Id(2)] float[] Vector);

[GenerateSerializer, Immutable]
internal sealed record WireRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Text,
    [property: Id(3)] List<WireField> Fields,
    [property: Id(4)] List<WireImage> Images,
    [property: Id(5)] List<WireSegment> Segments,
    [property: Id(6)] List<WireChunk> Chunks,
    [property: Id(7)] List<string> AudioWithoutTranscript)
{
    public static WireRecord From(IndexedRecord r) => new(
        r.Id, r.Title, r.Text, WireField.FromMap(r.Fields),
        r.Images.Select(i => new WireImage(i.Path, i.Caption, i.Vectors.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), i.Metadata is null ? null : WireField.FromMap(i.Metadata))).ToList(),
        r.Segments.Select(s => new WireSegment(s.AudioPath, s.StartMs, s.EndMs, s.Text)).ToList(),
        r.Chunks.Select(c => new WireChunk(c.Start, c.End, c.Vector)).ToList(),
        [.. r.AudioWithoutTranscript]);

    public IndexedRecord ToRecord() => new(
        Id, Title, Text, WireField.ToMap(Fields),
        Images.Select(i => new IndexedImage(i.Path, i.Caption, i.Vectors, i.Metadata is null ? null : WireField.ToMap(i.Metadata))),
        Segments.Select(s => new IndexedSegment(s.AudioPath, s.StartMs, s.EndMs, s.Text)),
        Chunks.Select(c => new IndexedChunk(c.Start, c.End, c.Vector)),
        AudioWithoutTranscript);
}

[GenerateSerializer, Immutable]
internal sealed record WireVectorField([property: Id(0)] string Name, [property: Id(1)] int Dimension, [property: Id(2)] VectorSimilarity Similarity, [property: Id(3)] string Embedder)
{
    public VectorFieldOptions ToOptions() => new(Dimension, Similarity) { Embedder = Embedder };
}

/// <summary>What the catalogue knows of a logical index: name, shards, vector fields, and the fitted fusion profile
/// (<see cref="FusionProfile"/> JSON, as a single index keeps it in its commit data) the coordinator fuses with.</summary>
[GenerateSerializer, Immutable]
internal sealed record WireIndexDescriptor([property: Id(0)] string Name, [property: Id(1)] int Shards, [property: Id(2)] List<WireVectorField> VectorFields, [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] string? FusionProfileJson = null);

[GenerateSerializer, Immutable]
internal sealed record WireCondition([property: Id(0)] string Field, [property: Id(1)] FieldKind Kind, [property: Id(2)] string[] Values, [property: Id(3)] double? Min, [property: Id(4)] double? Max);

/// <summary>A query as the shards need it: the text, the query vector (embedded once by the coordinator), the filter
/// and the options that shape the legs.</summary>
[GenerateSerializer, Immutable]
internal sealed record WireQuery(
    [property: Id(0)] string? Text,
    [property: Id(1)] string? SemanticText,
    [property: Id(2)] List<WireCondition> Conditions,
    [property: Id(3)] DocumentKind[]? Kinds,
    [property: Id(4)] float[]? TextVector,
    [property: Id(5)] string? TextEmbedder,
    [property: Id(6)] int CandidateWindow,
    [property: Id(7)] Dictionary<SearchLeg, int> LegWindows,
    [property: Id(8)] SearchLeg[]? Legs,
    [property: Id(9)] int? KnnEf,
    [property: Id(10)] bool Explain,
    [property: Id(11)] bool Snippets,
    [property: Id(12)] bool HitDetails,
    [property: Id(13)] List<WireQueryImage> Images,
    [property: Id(14)] string? ImageEmbedder,
    [property: Id(15)] MultiImageCombination ImageCombination)
{
    public static WireQuery From(HybridQuery query, HybridSearchOptions options, float[]? textVector, string? textEmbedder, List<WireQueryImage> images, string? imageEmbedder) => new(
        query.Text,
        query.SemanticText,
        query.Filter.Conditions.Select(c => new WireCondition(c.Field, c.Kind, c.Values, c.Min, c.Max)).ToList(),
        query.Filter.Kinds?.ToArray(),
        textVector,
        textEmbedder,
        options.CandidateWindow,
        options.LegWindows.ToDictionary(p => p.Key, p => p.Value),
        options.Legs?.ToArray(),
        options.KnnEf,
        options.Explain,
        options.Snippets,
        options.HitDetails,
        images,
        imageEmbedder,
        options.ImageCombination);

    public HybridQuery ToQuery()
    {
        var filter = SearchFilter.None;
        foreach (var c in Conditions)
        {
            filter = c.Kind switch
            {
                FieldKind.Keyword => filter.WithKeyword(c.Field, c.Values),
                FieldKind.Number => filter.WithNumberRange(c.Field, c.Min, c.Max),
                _ => filter.WithDateRange(c.Field,
                    c.Min is null ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)c.Min),
                    c.Max is null ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)c.Max)),
            };
        }

        if (Kinds is { Length: > 0 })
        {
            filter = filter.WithKinds(Kinds);
        }

        var query = HybridQuery.Empty.WithText(Text).WithSemanticText(SemanticText).WithFilter(filter);
        foreach (var image in Images)
        {
            query = query.WithImage(QueryImage.FromEmbeddings(image.Name, image.Vectors));
        }

        return query;
    }

    public HybridSearchOptions ToOptions()
    {
        var options = HybridSearchOptions.Default with
        {
            CandidateWindow = CandidateWindow,
            Explain = Explain,
            Snippets = Snippets,
            HitDetails = HitDetails,
            ImageCombination = ImageCombination,
            KnnEf = KnnEf,
        };
        foreach (var (leg, window) in LegWindows)
        {
            options = options.WithCandidateWindow(leg, window);
        }

        if (Legs is not null)
        {
            options = options.WithLegs(Legs);
        }

        return options;
    }
}

/// <summary>A query image as the coordinator embedded it: its name (for errors) and its vector per vector field.</summary>
[GenerateSerializer, Immutable]
internal sealed record WireQueryImage([property: Id(0)] string Name, [property: Id(1)] Dictionary<string, float[]> Vectors);

[GenerateSerializer, Immutable]
internal sealed record WireFieldStatistics([property: Id(0)] string Field, [property: Id(1)] long MaxDoc, [property: Id(2)] long DocCount, [property: Id(3)] long SumTotalTermFreq, [property: Id(4)] long SumDocFreq);

[GenerateSerializer, Immutable]
internal sealed record WireTermStatistics([property: Id(0)] string Field, [property: Id(1)] string Text, [property: Id(2)] long DocFreq, [property: Id(3)] long TotalTermFreq);

[GenerateSerializer, Immutable]
internal sealed record WireStatistics([property: Id(0)] List<WireFieldStatistics> Fields, [property: Id(1)] List<WireTermStatistics> Terms)
{
    public static WireStatistics From(CorpusStatistics s) => new(
        s.Fields.Select(f => new WireFieldStatistics(f.Field, f.MaxDoc, f.DocCount, f.SumTotalTermFreq, f.SumDocFreq)).ToList(),
        s.Terms.Select(t => new WireTermStatistics(t.Field, t.Text, t.DocFreq, t.TotalTermFreq)).ToList());

    public CorpusStatistics ToStatistics() => new(
        Fields.Select(f => new CorpusFieldStatistics(f.Field, f.MaxDoc, f.DocCount, f.SumTotalTermFreq, f.SumDocFreq)),
        Terms.Select(t => new CorpusTermStatistics(t.Field, t.Text, t.DocFreq, t.TotalTermFreq)));
}

[GenerateSerializer, Immutable]
internal sealed record WireBackgroundSample([property: Id(0)] string Field, [property: Id(1)] ulong[] KeyHashes, [property: Id(2)] float[] Scores)
{
    public static WireBackgroundSample From(KnnBackgroundSample s) => new(s.Field, [.. s.KeyHashes], [.. s.Scores]);

    public KnnBackgroundSample ToSample() => new(Field, KeyHashes, Scores);
}

[GenerateSerializer, Immutable]
internal sealed record WireShardLeg(
    [property: Id(0)] SearchLeg Leg, [property: Id(1)] string[] Keys, [property: Id(2)] float[] Scores, [property: Id(3)] int Window,
    [property: Id(4)] float? ScoreFloor, [property: Id(5)] float? Bm25Ceiling, [property: Id(6)] long Documents, [property: Id(7)] TimeSpan Search,
    [property: Id(8)] List<WireBackgroundSample>? Backgrounds, [property: Id(9)] bool QueryAsLongAsRecords = false)
{
    public static WireShardLeg From(ShardLeg l) => new(l.Leg, l.Hits.Select(h => h.Key).ToArray(), l.Hits.Select(h => h.Score).ToArray(), l.Window, l.ScoreFloor, l.Bm25Ceiling, l.Documents, l.Search,
        l.Backgrounds?.Select(WireBackgroundSample.From).ToList(), l.QueryAsLongAsRecords);

    public ShardLeg ToLeg() => new(Leg, Keys.Select((k, i) => new LegHit(k, Scores[i])).ToList(), Window, ScoreFloor, Bm25Ceiling, Documents, Search,
        Backgrounds?.Select(b => b.ToSample()).ToList(), QueryAsLongAsRecords);
}

[GenerateSerializer, Immutable]
internal sealed record WireContribution([property: Id(0)] string Leg, [property: Id(1)] int Rank, [property: Id(2)] float RawScore, [property: Id(3)] double NormalizedScore, [property: Id(4)] double Weight, [property: Id(5)] double Contribution, [property: Id(6)] bool Abstained = false);

[GenerateSerializer, Immutable]
internal sealed record WireFusedHit([property: Id(0)] string Key, [property: Id(1)] int Rank, [property: Id(2)] double Score, [property: Id(3)] List<WireContribution> Legs)
{
    public static WireFusedHit From(FusedHit h) => new(h.Key, h.Rank, h.Score, h.Legs.Select(l => new WireContribution(l.Key, l.Value.Rank, l.Value.RawScore, l.Value.NormalizedScore, l.Value.Weight, l.Value.Contribution, l.Value.Abstained)).ToList());

    public FusedHit ToHit() => new(Key, Rank, Score, Legs.ToDictionary(l => l.Leg, l => new LegContribution(l.Rank, l.RawScore, l.NormalizedScore, l.Weight, l.Contribution, l.Abstained), StringComparer.Ordinal));
}

[GenerateSerializer, Immutable]
internal sealed record WireExplanation([property: Id(0)] float Value, [property: Id(1)] string Description, [property: Id(2)] List<WireExplanation> Details)
{
    public static WireExplanation From(Explanation e) => new(e.Value, e.Description, (e.GetDetails() ?? []).Select(From).ToList());

    public Explanation ToExplanation()
    {
        var e = new Explanation(Value, Description);
        Details.ForEach(d => e.AddDetail(d.ToExplanation()));
        return e;
    }
}

[GenerateSerializer, Immutable]
internal sealed record WireLegExplanation(
    [property: Id(0)] SearchLeg Leg, [property: Id(1)] int Rank, [property: Id(2)] float RawScore, [property: Id(3)] double NormalizedScore,
    [property: Id(4)] double Weight, [property: Id(5)] double Contribution, [property: Id(6)] string MatchedDocumentId, [property: Id(7)] DocumentKind MatchedKind,
    [property: Id(8)] WireExplanation? Explanation, [property: Id(9)] bool Abstained = false);

[GenerateSerializer, Immutable]
internal sealed record WireMedia([property: Id(0)] DocumentKind Kind, [property: Id(1)] string Path, [property: Id(2)] long? StartMs, [property: Id(3)] long? EndMs, [property: Id(4)] string? Text, [property: Id(5)] SearchLeg Leg);

[GenerateSerializer, Immutable]
internal sealed record WireHit(
    [property: Id(0)] string RecordId, [property: Id(1)] int Rank, [property: Id(2)] double Score, [property: Id(3)] List<WireLegExplanation> Legs,
    [property: Id(4)] string Title, [property: Id(5)] List<WireField> Metadata, [property: Id(6)] WireMedia? Media, [property: Id(7)] string? Snippet)
{
    public static WireHit From(SearchHit h) => new(
        h.RecordId, h.Rank, h.Score,
        h.Legs.Select(l => new WireLegExplanation(l.Leg, l.Rank, l.RawScore, l.NormalizedScore, l.Weight, l.Contribution, l.MatchedDocumentId, l.MatchedKind,
            l.LuceneExplanation is null ? null : WireExplanation.From(l.LuceneExplanation), l.Abstained)).ToList(),
        h.Title, WireField.FromMap(h.Metadata),
        h.BestMedia is { } m ? new WireMedia(m.Kind, m.Path, m.StartMs, m.EndMs, m.Text, m.Leg) : null,
        h.Snippet);

    public SearchHit ToHit() => new(
        RecordId, Rank, Score,
        Legs.Select(l => new LegExplanation(l.Leg, l.Rank, l.RawScore, l.NormalizedScore, l.Weight, l.Contribution, l.MatchedDocumentId, l.MatchedKind, l.Explanation?.ToExplanation(), l.Abstained)).ToList(),
        Title, WireField.ToMap(Metadata),
        Media is { } m ? new MatchedMedia(m.Kind, m.Path, m.StartMs, m.EndMs, m.Text, m.Leg) : null,
        Snippet);
}

[GenerateSerializer, Immutable]
internal sealed record WireWriteResult([property: Id(0)] int Upserted, [property: Id(1)] List<WireRecordError> Errors);

[GenerateSerializer, Immutable]
internal sealed record WireRecordError([property: Id(0)] string RecordId, [property: Id(1)] string Reason);

[GenerateSerializer, Immutable]
internal sealed record WireShardStats([property: Id(0)] int Shard, [property: Id(1)] string Silo, [property: Id(2)] long Records, [property: Id(3)] long Documents, [property: Id(4)] long SizeBytes, [property: Id(5)] Dictionary<string, FieldKind> MetadataFields);

/// <summary>Where a shard runs and where the placement rule puts it, as the shard's silo sees the cluster.</summary>
/// <param name="Shard">The shard number.</param>
/// <param name="Silo">The silo of the activation that answered.</param>
/// <param name="RuleSilo">The silo <see cref="Placement.ShardSpreadPlacementDirector.SiloFor"/> names over
/// <paramref name="LiveSilos"/>.</param>
/// <param name="LiveSilos">The compatible active silos in that silo's view (what placement chooses from), sorted.</param>
[GenerateSerializer, Immutable]
internal sealed record WireShardPlacement([property: Id(0)] int Shard, [property: Id(1)] string Silo, [property: Id(2)] string RuleSilo, [property: Id(3)] List<string> LiveSilos)
{
    /// <summary>True when the shard runs where the rule puts it.</summary>
    public bool OnRuleSilo => Silo == RuleSilo;
}

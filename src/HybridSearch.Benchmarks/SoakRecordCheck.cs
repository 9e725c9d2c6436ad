using HybridSearch.Indexing;
using HybridSearch.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Benchmarks;

/// <summary>
/// Whether what a query saw of a record is the record as one upsert wrote it. Returns null when it is, else what is
/// wrong, naming the record.
/// </summary>
internal static class SoakRecordCheck
{
    private static readonly string VersionField = IndexFieldNames.Metadata(SoakCorpus.VersionField);

    /// <summary>Within the search's own point-in-time view: the record document's title and version field agree, and
    /// the child the hit's best media came from is of that version.</summary>
    public static string? CheckHit(SearchHit hit)
    {
        if (!hit.Metadata.TryGetValue(SoakCorpus.VersionField, out var field))
        {
            return $"record '{hit.RecordId}': the hit has no version field (title '{hit.Title}').";
        }

        var version = (int)field.NumberValue;
        if (SoakCorpus.TitleVersion(hit.Title) != version)
        {
            return $"record '{hit.RecordId}': title '{hit.Title}' but version field {version}.";
        }

        return hit.BestMedia is { Kind: DocumentKind.Image } media && !media.Path.StartsWith(SoakCorpus.ImageFolder(hit.RecordId, version), StringComparison.Ordinal)
            ? $"record '{hit.RecordId}' version {version}: its best image is '{media.Path}', of another version."
            : null;
    }

    /// <summary>Within one point-in-time searcher: the record is absent (deleted meanwhile), or present whole: one
    /// record document, exactly the images and chunks it says it has, every image path and every child's indexed
    /// copy of the version field of the record's version.</summary>
    public static string? CheckWhole(IndexSearcher searcher, string id)
    {
        var all = searcher.Search(new TermQuery(new Term(IndexFieldNames.Parent, id)), 64);
        if (all.TotalHits == 0)
        {
            return null;
        }

        Lucene.Net.Documents.Document? record = null;
        var images = new List<string>();
        var chunks = 0;
        foreach (var scoreDoc in all.ScoreDocs)
        {
            var doc = searcher.Doc(scoreDoc.Doc);
            switch (doc.Get(IndexFieldNames.Kind))
            {
                case "record" when record is not null:
                    return $"record '{id}': two record documents in one view.";
                case "record":
                    record = doc;
                    break;
                case "image":
                    images.Add(doc.Get(IndexFieldNames.Path) ?? string.Empty);
                    break;
                case "chunk":
                    chunks++;
                    break;
                default:
                    return $"record '{id}': a child of unexpected kind '{doc.Get(IndexFieldNames.Kind)}'.";
            }
        }

        if (record is null)
        {
            return $"record '{id}': {all.TotalHits} children without their record document.";
        }

        var version = (int)(record.GetField(VersionField)?.GetDoubleValue() ?? -1);
        var expectedImages = (int)(record.GetField(IndexFieldNames.Metadata(SoakCorpus.ImagesField))?.GetDoubleValue() ?? -1);
        var expectedChunks = (int)(record.GetField(IndexFieldNames.Metadata(SoakCorpus.ChunksField))?.GetDoubleValue() ?? -1);
        if (images.Count != expectedImages || chunks != expectedChunks)
        {
            return $"record '{id}' version {version}: {images.Count} images and {chunks} chunks, written with {expectedImages} and {expectedChunks}.";
        }

        var folder = SoakCorpus.ImageFolder(id, version);
        if (images.FirstOrDefault(path => !path.StartsWith(folder, StringComparison.Ordinal)) is { } foreign)
        {
            return $"record '{id}' version {version}: image '{foreign}' is of another version.";
        }

        var ofVersion = new BooleanQuery
        {
            { new TermQuery(new Term(IndexFieldNames.Parent, id)), Occur.MUST },
            { NumericRangeQuery.NewDoubleRange(VersionField, version, version, true, true), Occur.MUST },
        };
        var agreeing = searcher.Search(ofVersion, 1).TotalHits;
        return agreeing != all.TotalHits
            ? $"record '{id}' version {version}: only {agreeing} of its {all.TotalHits} documents carry that version."
            : null;
    }
}

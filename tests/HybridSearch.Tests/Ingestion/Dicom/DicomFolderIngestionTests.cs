using HybridSearch.Indexing;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;
using HybridSearch.Tests.Ingestion.Pipeline;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>DICOM trees through the real pipeline (ResNet18, MiniLM, Lucene on disk): grouping, reports, frames,
/// fields, PHI, and a broken-file corpus reported one line each while the rest indexes.</summary>
public sealed class DicomFolderIngestionTests : IClassFixture<PipelineModels>, IDisposable
{
    private const string StudyA = "1.2.826.0.1.100";
    private const string StudyB = "1.2.826.0.1.200";
    private readonly PipelineModels _models;
    private readonly TempDirectory _temp = new();

    public DicomFolderIngestionTests(PipelineModels models) => _models = models;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ATreeBecomesOneRecordPerStudyWithItsReportFieldsAndNoPatientData()
    {
        var root = WriteTree();
        var (summary, index) = await IngestAsync(root, DicomIngestionOptions.Default);
        using (index)
        {
            Assert.Empty(summary.Failures);
            Assert.Equal(3, summary.Indexed); // two studies and the text record
            Assert.Equal(4, IndexProbe.Children(index, StudyA, "image")); // a1, a2, the extension-less a3, multi-frame a4 (middle frame)
            Assert.Equal(2, IndexProbe.Children(index, StudyB, "image"));
            Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Id, "notes.txt"));

            // Record fields: what the study's instances share, filterable.
            Assert.Equal(1, Count(index, "record", (DicomFieldNames.Modality, "CT")));
            Assert.Equal(1, Count(index, "record", (DicomFieldNames.Modality, "MR")));
            Assert.Equal(4, Count(index, "image", (DicomFieldNames.Modality, "CT")));
            Assert.Equal(1, Count(index, "record", (DicomFieldNames.StudyInstanceUid, StudyA)));
            Assert.Equal(FieldKind.Date, index.MetadataFields[DicomFieldNames.StudyDate]);
            Assert.Equal(FieldKind.Number, index.MetadataFields[DicomFieldNames.PatientAge]);

            // The report gives the study its title and text; it is not a record of its own.
            using (var lease = index.AcquireSearcher())
            {
                var hit = lease.Searcher.Search(new TermQuery(new Term(IndexFieldNames.Id, StudyA)), 1).ScoreDocs.Single();
                var doc = lease.Searcher.Doc(hit.Doc);
                Assert.Equal("Chest CT follow-up", doc.Get(IndexFieldNames.Title));
                Assert.Contains("Nodule in the left lower lobe", doc.Get(IndexFieldNames.Text), StringComparison.Ordinal);
                Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Id, "studyA.md"));

                // No patient-identifying field, and their values appear in no stored field of any document.
                Assert.DoesNotContain(DicomFieldNames.PatientName, index.MetadataFields.Keys);
                Assert.DoesNotContain(DicomFieldNames.PatientId, index.MetadataFields.Keys);
                Assert.DoesNotContain(DicomFieldNames.PatientBirthDate, index.MetadataFields.Keys);
                for (var d = 0; d < lease.Searcher.IndexReader.MaxDoc; d++)
                {
                    foreach (var field in lease.Searcher.Doc(d).Fields)
                    {
                        var value = field.GetStringValue() ?? string.Empty;
                        Assert.DoesNotContain("PID-0042", value, StringComparison.Ordinal);
                        Assert.DoesNotContain("Müller", value, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task OptionsGroupBySeriesTakeEveryFrameAndKeepPhiWhenAsked()
    {
        var root = WriteTree();
        var (summary, index) = await IngestAsync(root, new DicomIngestionOptions
        {
            Grouping = DicomGrouping.Series,
            Frames = DicomFrameSelection.Every,
            KeepPhi = true,
        });
        using (index)
        {
            Assert.Empty(summary.Failures);
            Assert.Equal(4, summary.Indexed); // study A is one series, study B two, and the text record
            Assert.Equal(6, IndexProbe.Children(index, StudyA + ".1", "image")); // three single frames and three of a4
            Assert.Equal(1, IndexProbe.Children(index, StudyB + ".1", "image"));
            Assert.Equal(1, IndexProbe.Children(index, StudyB + ".2", "image"));
            Assert.Equal(FieldKind.Keyword, index.MetadataFields[DicomFieldNames.PatientId]);
            Assert.Equal(3, Count(index, "record", (DicomFieldNames.PatientId, "PID-0042"))); // every series record carries it
        }
    }

    [Fact]
    public async Task BrokenDICOMFilesGiveOneFailureEachAndTheRestIndexes()
    {
        var root = WriteTree();
        var broken = new List<string>();
        foreach (var (name, bytes, _, _) in BrokenDicomCorpus.Files())
        {
            var path = Path.Combine(root, "broken", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            broken.Add(path);
        }

        var (summary, index) = await IngestAsync(root, DicomIngestionOptions.Default);
        using (index)
        {
            var failed = summary.Failures.Select(failure => failure.Path).ToList();
            Assert.Equal(broken.Order(StringComparer.Ordinal), failed.Order(StringComparer.Ordinal));
            Assert.All(summary.Failures, failure => Assert.False(string.IsNullOrWhiteSpace(failure.Reason)));
            Assert.Contains(summary.Failures, failure => failure.Reason.Contains("unsupported transfer syntax 1.2.840.10008.1.2.4.90", StringComparison.Ordinal));
            Assert.Contains(summary.Failures, failure => failure.Reason.Contains("nested deeper than the limit", StringComparison.Ordinal));
            Assert.Equal(4, IndexProbe.Children(index, StudyA, "image"));
            Assert.Equal(2, IndexProbe.Children(index, StudyB, "image"));
        }
    }

    [Fact]
    public async Task AManifestNamesDcmImagesAndTheyGetTheirTags()
    {
        var root = WriteTree();
        var manifest = Path.Combine(root, "records.jsonl");
        File.WriteAllText(manifest, "{\"id\":\"case-1\",\"title\":\"Case one\",\"text\":\"chest\",\"images\":[\"studyA/a1.dcm\",\"studyA/a3\"]}\n");

        using var pipeline = new IngestionPipeline(_models.Options() with { Dicom = DicomIngestionOptions.Default });
        using var index = HybridIndex.Open(Path.Combine(_temp.Path, "manifest-index"), pipeline.CreateIndexOptions());
        var summary = await pipeline.RunAsync(new ManifestReader(manifest), index);

        Assert.Empty(summary.Failures);
        Assert.Equal(2, IndexProbe.Children(index, "case-1", "image"));
        Assert.Equal(2, Count(index, "image", (DicomFieldNames.Modality, "CT")));
        Assert.DoesNotContain(DicomFieldNames.PatientName, index.MetadataFields.Keys);
    }

    private async Task<(IngestionSummary Summary, HybridIndex Index)> IngestAsync(string root, DicomIngestionOptions dicom)
    {
        using var pipeline = new IngestionPipeline(_models.Options() with { Dicom = dicom });
        var index = HybridIndex.Open(Path.Combine(_temp.Path, "index-" + Guid.NewGuid().ToString("N")), pipeline.CreateIndexOptions());
        try
        {
            var summary = await pipeline.RunAsync(new FolderRecordSource(root, new FolderIngestionOptions { Dicom = dicom }), index);
            return (summary, index);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private static int Count(HybridIndex index, string kind, (string Field, string Value) condition) => IndexProbe.Count(index, new BooleanQuery
    {
        { new TermQuery(new Term(IndexFieldNames.Kind, kind)), Occur.MUST },
        { new TermQuery(new Term(IndexFieldNames.Metadata(condition.Field), condition.Value)), Occur.MUST },
    });

    /// <summary>Study A (CT, one series): a1, a2, a3 without extension, a4 with three frames, and a Markdown report
    /// beside its folder; study B (MR, two series); a plain text record.</summary>
    private string WriteTree()
    {
        var root = _temp.Combine("tree-" + Guid.NewGuid().ToString("N"));
        for (var i = 1; i <= 4; i++)
        {
            var name = i == 3 ? "a3" : $"a{i}.dcm";
            DicomTestWriter.Image(40, 32, (x, y) => (ushort)((x * 40 * i) + (y * 9)), frames: i == 4 ? 3 : 1, studyUid: StudyA, seriesUid: StudyA + ".1", sopUid: $"{StudyA}.1.{i}")
                .WriteTo(Path.Combine(root, "studyA", name));
        }

        File.WriteAllText(Path.Combine(root, "studyA.md"), "# Chest CT follow-up\n\nNodule in the left lower lobe, stable since the last study.\n");
        for (var i = 1; i <= 2; i++)
        {
            DicomTestWriter.Image(36, 36, (x, y) => (ushort)((x ^ y) * 100 * i), modality: "MR", studyUid: StudyB, seriesUid: $"{StudyB}.{i}", sopUid: $"{StudyB}.{i}.1")
                .WriteTo(Path.Combine(root, "studyB", $"b{i}.dcm"));
        }

        File.WriteAllText(Path.Combine(root, "notes.txt"), "Ward notes\nNothing about any image.\n");
        return root;
    }
}

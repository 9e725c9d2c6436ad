using System.Text.Json;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Tests.Ingestion.Dicom;

namespace HybridSearch.Tests.Cli;

/// <summary><c>hybridsearch index --folder</c> on a DICOM tree, <c>stats</c> with modality counts, and
/// <c>search --image FILE.dcm --filter modality=...</c>, with the default models.</summary>
[Collection(CliCollection.Name)]
public sealed class CliDicomTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_DICOM_folder_indexes_counts_and_answers_a_dcm_query_image_with_a_modality_filter()
    {
        var root = _temp.Combine("pacs");
        for (var i = 0; i < 3; i++)
        {
            DicomTestWriter.Image(48, 48, (x, y) => (ushort)(((x / 6) + (y / 6)) % 2 == 0 ? 3000 : 200), studyUid: "1.2.9.1", seriesUid: "1.2.9.1.1", sopUid: $"1.2.9.1.1.{i}")
                .WriteTo(Path.Combine(root, "ct", $"slice{i}.dcm"));
        }

        DicomTestWriter.Image(48, 48, (x, y) => (ushort)(x * 60), modality: "MR", studyUid: "1.2.9.2", seriesUid: "1.2.9.2.1", sopUid: "1.2.9.2.1.1")
            .WriteTo(Path.Combine(root, "mr", "IM0001"));
        var index = _temp.Combine("index");

        var indexed = await CliRun.RunAsync("index", "--index", index, "--folder", root, "--dicom-frames", "middle");
        Assert.True(indexed.ExitCode == 0, indexed.Error + indexed.Out);

        var stats = await CliRun.RunAsync("stats", "--index", index, "--json");
        Assert.Equal(0, stats.ExitCode);
        using var statsJson = JsonDocument.Parse(stats.Out);
        Assert.Equal(2, statsJson.RootElement.GetProperty("records").GetInt32());
        var modality = statsJson.RootElement.GetProperty("value_counts").GetProperty(DicomFieldNames.Modality);
        Assert.Equal(1, modality.GetProperty("CT").GetProperty("records").GetInt32());
        Assert.Equal(3, modality.GetProperty("CT").GetProperty("images").GetInt32());
        Assert.Equal(1, modality.GetProperty("MR").GetProperty("images").GetInt32());
        Assert.Equal(4, statsJson.RootElement.GetProperty("value_counts").GetProperty(DicomFieldNames.BodyPart).GetProperty("CHEST").GetProperty("images").GetInt32());

        var query = Path.Combine(root, "ct", "slice1.dcm");
        var search = await CliRun.RunAsync("search", "--index", index, "--image", query, "--top", "2", "--json");
        Assert.True(search.ExitCode == 0, search.Error);
        using var searchJson = JsonDocument.Parse(search.Out);
        Assert.Equal("1.2.9.1", searchJson.RootElement.GetProperty("hits")[0].GetProperty("id").GetString());

        var filtered = await CliRun.RunAsync("search", "--index", index, "--image", query, "--filter", "modality=MR", "--json");
        using var filteredJson = JsonDocument.Parse(filtered.Out);
        Assert.Equal(["1.2.9.2"], filteredJson.RootElement.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("id").GetString()).ToList());
    }
}

using System.CommandLine;
using HybridSearch.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch delete</c>: removes a record and all its children (images, transcript segments, text
/// chunks) from an index and commits.</summary>
internal static class DeleteCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index();
        var id = new Option<string>("--id")
        {
            Description = "The record id to delete (with its images, segments and chunks).",
            Required = true,
            HelpName = "ID",
        };
        var cluster = ClusterOptions.Cluster();
        var command = new Command("delete", "Delete a record and all its children from an index.")
        {
            index,
            id,
            cluster,
        };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(cluster) is { } clusterUrl)
            {
                return ClusterCommands.DeleteAsync(console, clusterUrl, parseResult.GetRequiredValue(index), parseResult.GetRequiredValue(id), CancellationToken.None).GetAwaiter().GetResult();
            }

            var path = CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index));
            var recordId = parseResult.GetRequiredValue(id);
            if (string.IsNullOrWhiteSpace(recordId))
            {
                throw new CliUserException("--id must not be blank.");
            }

            using var hybridIndex = HybridIndex.Open(path);
            var documents = CountDocuments(hybridIndex, recordId);
            if (documents == 0)
            {
                throw new CliUserException($"record '{recordId}' is not in the index '{path}'.");
            }

            hybridIndex.Delete(recordId);
            hybridIndex.Commit();
            console.Out.WriteLine($"deleted record '{recordId}' ({documents} document{(documents == 1 ? string.Empty : "s")} with its children)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Documents (the record and its children) carrying <paramref name="recordId"/> as parent.</summary>
    internal static int CountDocuments(HybridIndex index, string recordId)
    {
        using var lease = index.AcquireSearcher();
        return lease.Searcher.Search(new TermQuery(new Term(IndexFieldNames.Parent, recordId)), 1).TotalHits;
    }
}

namespace HybridSearch.Ingestion.Sources;

/// <summary>A reason why a JSON record object is invalid; the reader that knows the file and line turns it into a
/// <see cref="ManifestException"/>.</summary>
internal sealed class RecordFormatError(string reason) : Exception(reason);

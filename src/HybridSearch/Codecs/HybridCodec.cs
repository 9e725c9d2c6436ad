using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene46;

namespace HybridSearch.Codecs;

/// <summary>
/// Lucene 4.6 codec plus vectors: postings, stored fields, norms and ordinary doc values are Lucene46's; the fields
/// declared as vector fields are stored by <see cref="HnswVectorsFormat"/> (vectors and HNSW graph per segment),
/// committed atomically with everything else. A reopened index finds the codec by its name,
/// <see cref="CodecName"/>; call <see cref="Register"/> once before opening one.
/// </summary>
/// <example>
/// <code>
/// HybridCodec.Register();
/// var codec = new HybridCodec(new Dictionary&lt;string, VectorFieldOptions&gt;
/// {
///     ["image_vector"] = new VectorFieldOptions(512, VectorSimilarity.Cosine) { Embedder = "resnet18" },
/// });
/// var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Codec = codec };
/// </code>
/// </example>
[CodecName(CodecName)]
public sealed class HybridCodec : FilterCodec
{
    /// <summary>The name recorded in every segment written with this codec.</summary>
    public const string CodecName = "HybridSearch10";

    private readonly DocValuesFormat _docValuesFormat;

    /// <summary>Creates the codec for reading only (Lucene's service loader uses this): it declares no vector field,
    /// so use the other constructor for any IndexWriter that adds or merges vectors.</summary>
    public HybridCodec()
        : this(new Dictionary<string, VectorFieldOptions>())
    {
    }

    /// <summary>Creates the codec with the vector fields it stores.</summary>
    /// <param name="vectorFields">Vector field name to its settings.</param>
    public HybridCodec(IReadOnlyDictionary<string, VectorFieldOptions> vectorFields)
        : base(new Lucene46Codec())
    {
        ArgumentNullException.ThrowIfNull(vectorFields);
        VectorFields = new Dictionary<string, VectorFieldOptions>(vectorFields, StringComparer.Ordinal);
        _docValuesFormat = new HnswMergeAwareDocValuesFormat(new HybridPerFieldDocValuesFormat(VectorFields));
    }

    /// <summary>The declared vector fields and their settings.</summary>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields { get; }

    /// <inheritdoc />
    public override DocValuesFormat DocValuesFormat => _docValuesFormat;

    /// <summary>
    /// Makes the codec and its vectors format known to Lucene's service lookup, so indexes written with them can be
    /// opened. Idempotent and thread-safe.
    /// </summary>
    public static void Register() => HybridCodecRegistration.Ensure();
}

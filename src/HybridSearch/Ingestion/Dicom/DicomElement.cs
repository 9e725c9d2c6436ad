namespace HybridSearch.Ingestion.Dicom;

/// <summary>One attribute of a data set: its tag, VR and value bytes (a slice of the file, never copied), or its
/// items when it is a sequence, or its fragments when it is encapsulated pixel data.</summary>
public sealed class DicomElement
{
    internal DicomElement(DicomTag tag, string vr, ReadOnlyMemory<byte> value, bool bigEndian, IReadOnlyList<DicomDataset>? items = null,
        IReadOnlyList<ReadOnlyMemory<byte>>? fragments = null)
    {
        Tag = tag;
        VR = vr;
        Value = value;
        IsBigEndian = bigEndian;
        Items = items;
        Fragments = fragments;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation (explicit, or looked up for implicit-VR data; <c>UN</c> when unknown).</summary>
    public string VR { get; }

    /// <summary>The value bytes (empty for sequences and encapsulated pixel data).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the binary value is big endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>The items of a sequence, or null.</summary>
    public IReadOnlyList<DicomDataset>? Items { get; }

    /// <summary>The fragments of encapsulated pixel data after the basic offset table, or null; see
    /// <see cref="BasicOffsetTable"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Fragments { get; }

    /// <summary>The basic offset table of encapsulated pixel data (the first item; may be empty).</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; internal init; }

    /// <summary>The tag and VR.</summary>
    public override string ToString() => $"{Tag} {VR}";
}

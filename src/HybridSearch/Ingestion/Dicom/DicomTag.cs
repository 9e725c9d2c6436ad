using System.Globalization;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>A DICOM attribute tag: group and element, ordered as the standard orders them (group, then element).</summary>
/// <param name="Group">The group number, e.g. 0x0010 for patient attributes.</param>
/// <param name="Element">The element number within the group.</param>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>The tag as one 32-bit number, group in the high half.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for odd groups, which hold private (vendor) attributes.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>The tag as DICOM writes it: <c>(0010,0010)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}

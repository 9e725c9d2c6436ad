using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>The attributes of a data set (or of a sequence item) by tag, with typed accessors that decode text in
/// the data set's character set (ISO_IR 100 Latin-1, ISO_IR 192 UTF-8; the default repertoire and any other set
/// are read as Latin-1, which is exact for ASCII) and binary values in its byte order.</summary>
public sealed class DicomDataset
{
    private static readonly HashSet<string> CharsetVrs = new(StringComparer.Ordinal) { "LO", "LT", "PN", "SH", "ST", "UC", "UT" };
    private readonly Dictionary<DicomTag, DicomElement> _elements = [];
    private readonly DicomDataset? _parent;
    private Encoding? _encoding;

    internal DicomDataset(DicomDataset? parent = null)
    {
        _parent = parent;
    }

    /// <summary>The elements in file order.</summary>
    public IReadOnlyCollection<DicomElement> Elements => _elements.Values;

    /// <summary>The encoding of text values (from <see cref="DicomTags.SpecificCharacterSet"/>, inherited by items).</summary>
    public Encoding TextEncoding => _encoding ??= ResolveEncoding();

    /// <summary>True when the tag is present (with any value).</summary>
    /// <param name="tag">The tag.</param>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    /// <summary>Returns the element, or null.</summary>
    /// <param name="tag">The tag.</param>
    public DicomElement? Find(DicomTag tag) => _elements.GetValueOrDefault(tag);

    internal void Add(DicomElement element) => _elements[element.Tag] = element;

    /// <summary>The whole text value with trailing padding (spaces, NUL) removed, or null when absent or empty.
    /// Multi-valued text keeps its backslashes.</summary>
    /// <param name="tag">The tag of a text attribute.</param>
    public string? GetString(DicomTag tag)
    {
        if (Find(tag) is not { Items: null, Fragments: null } element || element.Value.IsEmpty)
        {
            return null;
        }

        var encoding = CharsetVrs.Contains(element.VR) ? TextEncoding : Encoding.Latin1;
        var text = encoding.GetString(element.Value.Span).TrimEnd(' ', '\0');
        text = element.VR is "UT" or "ST" or "LT" or "UC" ? text : text.TrimStart(' ');
        return text.Length == 0 ? null : text;
    }

    /// <summary>The values of a multi-valued text attribute, each trimmed; empty when absent.</summary>
    /// <param name="tag">The tag.</param>
    public string[] GetStrings(DicomTag tag) =>
        GetString(tag)?.Split('\\').Select(value => value.Trim(' ', '\0')).ToArray() ?? [];

    /// <summary>The first integer value of a binary (US, SS, UL, SL) or text (IS, DS) attribute, or null.</summary>
    /// <param name="tag">The tag.</param>
    public int? GetInt32(DicomTag tag)
    {
        if (Find(tag) is not { } element)
        {
            return null;
        }

        var span = element.Value.Span;
        var big = element.IsBigEndian;
        switch (element.VR)
        {
            case "US" when span.Length >= 2:
                return big ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
            case "SS" when span.Length >= 2:
                return big ? BinaryPrimitives.ReadInt16BigEndian(span) : BinaryPrimitives.ReadInt16LittleEndian(span);
            case "UL" when span.Length >= 4:
                var unsigned = big ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
                return unsigned > int.MaxValue ? null : (int)unsigned;
            case "SL" when span.Length >= 4:
                return big ? BinaryPrimitives.ReadInt32BigEndian(span) : BinaryPrimitives.ReadInt32LittleEndian(span);
            case "IS" or "DS":
                var value = GetDoubles(tag);
                return value.Length > 0 && value[0] is >= int.MinValue and <= int.MaxValue ? (int)Math.Round(value[0]) : null;
            default:
                return null;
        }
    }

    /// <summary>The values of a numeric attribute (DS, IS, FL, FD, US, SS, UL, SL), skipping unparsable ones.</summary>
    /// <param name="tag">The tag.</param>
    public double[] GetDoubles(DicomTag tag)
    {
        if (Find(tag) is not { Items: null } element)
        {
            return [];
        }

        var span = element.Value.Span;
        var big = element.IsBigEndian;
        switch (element.VR)
        {
            case "DS" or "IS":
                return GetStrings(tag).Select(text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN)
                    .Where(v => !double.IsNaN(v)).ToArray();
            case "FL":
                return Enumerable.Range(0, span.Length / 4).Select(i => (double)(big ? BinaryPrimitives.ReadSingleBigEndian(element.Value.Span[(4 * i)..]) : BinaryPrimitives.ReadSingleLittleEndian(element.Value.Span[(4 * i)..]))).ToArray();
            case "FD":
                return Enumerable.Range(0, span.Length / 8).Select(i => big ? BinaryPrimitives.ReadDoubleBigEndian(element.Value.Span[(8 * i)..]) : BinaryPrimitives.ReadDoubleLittleEndian(element.Value.Span[(8 * i)..])).ToArray();
            case "US":
                return Enumerable.Range(0, span.Length / 2).Select(i => (double)(big ? BinaryPrimitives.ReadUInt16BigEndian(element.Value.Span[(2 * i)..]) : BinaryPrimitives.ReadUInt16LittleEndian(element.Value.Span[(2 * i)..]))).ToArray();
            case "SS":
                return Enumerable.Range(0, span.Length / 2).Select(i => (double)(big ? BinaryPrimitives.ReadInt16BigEndian(element.Value.Span[(2 * i)..]) : BinaryPrimitives.ReadInt16LittleEndian(element.Value.Span[(2 * i)..]))).ToArray();
            case "UL":
                return Enumerable.Range(0, span.Length / 4).Select(i => (double)(big ? BinaryPrimitives.ReadUInt32BigEndian(element.Value.Span[(4 * i)..]) : BinaryPrimitives.ReadUInt32LittleEndian(element.Value.Span[(4 * i)..]))).ToArray();
            case "SL":
                return Enumerable.Range(0, span.Length / 4).Select(i => (double)(big ? BinaryPrimitives.ReadInt32BigEndian(element.Value.Span[(4 * i)..]) : BinaryPrimitives.ReadInt32LittleEndian(element.Value.Span[(4 * i)..]))).ToArray();
            default:
                return [];
        }
    }

    /// <summary>The first numeric value, or null.</summary>
    /// <param name="tag">The tag.</param>
    public double? GetDouble(DicomTag tag) => GetDoubles(tag) is [var first, ..] ? first : null;

    private Encoding ResolveEncoding()
    {
        var own = GetStringRaw(DicomTags.SpecificCharacterSet);
        if (own is null)
        {
            return _parent?.TextEncoding ?? Encoding.Latin1;
        }

        // The last named set wins for single-byte text; code extensions (ISO 2022 escapes) are not interpreted.
        var names = own.Split('\\').Select(name => name.Trim(' ', '\0').ToUpperInvariant()).ToArray();
        return names.Any(name => name is "ISO_IR 192") ? Encoding.UTF8 : Encoding.Latin1;
    }

    private string? GetStringRaw(DicomTag tag) =>
        Find(tag) is { Items: null } element && !element.Value.IsEmpty ? Encoding.Latin1.GetString(element.Value.Span).Trim(' ', '\0') : null;
}

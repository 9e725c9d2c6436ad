namespace HybridSearch.Records;

/// <summary>The type of a record's metadata value; decides how the index stores and filters it.</summary>
public enum FieldKind
{
    /// <summary>An exact-match string (not tokenised).</summary>
    Keyword,

    /// <summary>A double-precision number (range filters, sorting).</summary>
    Number,

    /// <summary>A point in time with offset (range filters, sorting).</summary>
    Date,
}

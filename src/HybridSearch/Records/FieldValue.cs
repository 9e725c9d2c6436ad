using System.Globalization;

namespace HybridSearch.Records;

/// <summary>
/// One typed metadata value of a record: a keyword, a number or a date. Immutable; create it with
/// <see cref="Keyword"/>, <see cref="Number"/> or <see cref="Date"/>.
/// </summary>
/// <example><code>var age = FieldValue.Number(74); var seen = FieldValue.Date(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));</code></example>
public sealed record FieldValue
{
    private FieldValue(FieldKind kind, string? keyword, double number, DateTimeOffset date)
    {
        Kind = kind;
        KeywordValue = keyword;
        NumberValue = number;
        DateValue = date;
    }

    /// <summary>Which of the value properties is meaningful.</summary>
    public FieldKind Kind { get; }

    /// <summary>The string when <see cref="Kind"/> is <see cref="FieldKind.Keyword"/>, otherwise null.</summary>
    public string? KeywordValue { get; }

    /// <summary>The number when <see cref="Kind"/> is <see cref="FieldKind.Number"/>, otherwise 0.</summary>
    public double NumberValue { get; }

    /// <summary>The date when <see cref="Kind"/> is <see cref="FieldKind.Date"/>, otherwise <see cref="DateTimeOffset.MinValue"/>.</summary>
    public DateTimeOffset DateValue { get; }

    /// <summary>Creates a keyword value.</summary>
    /// <param name="value">The exact string; must not be null.</param>
    public static FieldValue Keyword(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new FieldValue(FieldKind.Keyword, value, 0, DateTimeOffset.MinValue);
    }

    /// <summary>Creates a numeric value.</summary>
    /// <param name="value">A finite number (NaN and infinities cannot be range-filtered, so they are rejected).</param>
    public static FieldValue Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A numeric field value must be finite.");
        }

        return new FieldValue(FieldKind.Number, null, value, DateTimeOffset.MinValue);
    }

    /// <summary>Creates a date value.</summary>
    /// <param name="value">The point in time.</param>
    public static FieldValue Date(DateTimeOffset value) => new(FieldKind.Date, null, 0, value);

    /// <summary>The value in invariant form: the keyword, the number (round-trip) or the date (ISO 8601).</summary>
    public override string ToString() => Kind switch
    {
        FieldKind.Keyword => KeywordValue!,
        FieldKind.Number => NumberValue.ToString("R", CultureInfo.InvariantCulture),
        _ => DateValue.ToString("O", CultureInfo.InvariantCulture),
    };
}

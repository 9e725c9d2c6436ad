using System.Globalization;
using HybridSearch.Querying;
using HybridSearch.Records;

namespace HybridSearch.Cli.Querying;

/// <summary>
/// Turns user filters into a <see cref="SearchFilter"/> using the index's metadata field kinds: on a keyword field
/// <c>=</c> is exact match (several on one field: any of them); on a number or date field <c>=</c>, <c>&gt;=</c> and
/// <c>&lt;=</c> are inclusive bounds (a date-only upper bound includes that whole day). A field the index does not
/// have, a range on a keyword or a value that is not a number/date is an error naming the filter.
/// </summary>
internal static class FilterResolver
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Builds the filter.</summary>
    /// <param name="conditions">The user's conditions.</param>
    /// <param name="fieldKinds">The index's metadata fields and their kinds.</param>
    /// <exception cref="CliUserException">A condition does not fit the index.</exception>
    public static SearchFilter Resolve(IEnumerable<FilterCondition> conditions, IReadOnlyDictionary<string, FieldKind> fieldKinds)
    {
        var filter = SearchFilter.None;
        foreach (var group in conditions.GroupBy(condition => condition.Field, StringComparer.Ordinal))
        {
            var field = group.Key;
            if (!fieldKinds.TryGetValue(field, out var kind))
            {
                var known = fieldKinds.Count == 0 ? "none" : string.Join(", ", fieldKinds.Keys.Order(StringComparer.Ordinal));
                throw new CliUserException($"filter '{group.First()}': the index has no metadata field '{field}' (fields: {known}).");
            }

            filter = kind switch
            {
                FieldKind.Keyword => Keyword(filter, field, [.. group]),
                FieldKind.Number => NumberRange(filter, field, [.. group]),
                _ => DateRange(filter, field, [.. group]),
            };
        }

        return filter;
    }

    private static SearchFilter Keyword(SearchFilter filter, string field, List<FilterCondition> conditions)
    {
        var range = conditions.FirstOrDefault(condition => condition.Operator != FilterOperator.Equals);
        if (range is not null)
        {
            throw new CliUserException($"filter '{range}': '{field}' is a keyword field; only {field}=value applies to it.");
        }

        return filter.WithKeyword(field, [.. conditions.Select(condition => condition.Value).Distinct(StringComparer.Ordinal)]);
    }

    private static SearchFilter NumberRange(SearchFilter filter, string field, List<FilterCondition> conditions)
    {
        double? min = null, max = null;
        foreach (var condition in conditions)
        {
            if (!double.TryParse(condition.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new CliUserException($"filter '{condition}': '{field}' is a number field and '{condition.Value}' is not a number.");
            }

            if (condition.Operator != FilterOperator.AtMost)
            {
                min = min is { } m ? Math.Max(m, value) : value;
            }

            if (condition.Operator != FilterOperator.AtLeast)
            {
                max = max is { } m ? Math.Min(m, value) : value;
            }
        }

        if (min > max)
        {
            throw new CliUserException($"filters on '{field}': the range {min.Value.ToString(CultureInfo.InvariantCulture)}..{max!.Value.ToString(CultureInfo.InvariantCulture)} is empty.");
        }

        return filter.WithNumberRange(field, min, max);
    }

    private static SearchFilter DateRange(SearchFilter filter, string field, List<FilterCondition> conditions)
    {
        DateTimeOffset? from = null, to = null;
        foreach (var condition in conditions)
        {
            if (!DateTimeOffset.TryParseExact(condition.Value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new CliUserException($"filter '{condition}': '{field}' is a date field and '{condition.Value}' is not an ISO-8601 date (e.g. 2024-05-31 or 2024-05-31T12:00:00Z).");
            }

            // A bare date as an upper bound or equality means the whole day, as a person reading it would expect.
            var dateOnly = condition.Value.Length == 10;
            var end = dateOnly ? value.AddDays(1).AddMilliseconds(-1) : value;
            if (condition.Operator != FilterOperator.AtMost)
            {
                from = from is { } f && f > value ? f : value;
            }

            if (condition.Operator != FilterOperator.AtLeast)
            {
                to = to is { } t && t < end ? t : end;
            }
        }

        if (from > to)
        {
            throw new CliUserException($"filters on '{field}': the date range {from:O}..{to:O} is empty.");
        }

        return filter.WithDateRange(field, from, to);
    }
}

using System.Globalization;
using HybridSearch.Indexing;
using HybridSearch.Records;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// Restricts a hybrid query to documents whose metadata and kind match; all conditions must hold. Immutable: each
/// <c>WithX</c> returns a new filter. The same filter is applied inside every leg — as a Lucene filter of the BM25
/// legs and inside the HNSW walk of the kNN legs — so a filtered leg still returns its top hits among the matching
/// documents rather than fewer hits after post-filtering.
/// </summary>
/// <remarks>
/// Metadata conditions name record fields (without the <c>f.</c> prefix); children (images, segments, chunks) carry
/// copies of their record's metadata, so they match exactly when their record does. The kind condition restricts the
/// matching documents themselves: <c>WithKinds(DocumentKind.Image)</c> lets the lexical leg match captions only and
/// the semantic text leg (which searches chunks) nothing.
/// </remarks>
/// <example>
/// <code>
/// var filter = SearchFilter.None
///     .WithKeyword("modality", "CT", "MR")
///     .WithNumberRange("age", 40, 65)
///     .WithDateRange("taken", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), null);
/// </code>
/// </example>
public sealed class SearchFilter
{
    private readonly Condition[] _conditions;

    private SearchFilter(Condition[] conditions, DocumentKind[]? kinds)
    {
        _conditions = conditions;
        Kinds = kinds;
    }

    /// <summary>The filter that lets every document through.</summary>
    public static SearchFilter None { get; } = new([], null);

    /// <summary>True when the filter has no condition.</summary>
    public bool IsEmpty => _conditions.Length == 0 && Kinds is null;

    /// <summary>The document kinds allowed, or null for all.</summary>
    public IReadOnlyList<DocumentKind>? Kinds { get; }

    /// <summary>Adds: keyword field <paramref name="field"/> equals one of <paramref name="anyOf"/> (exact, case-sensitive).</summary>
    /// <exception cref="ArgumentException">No value, or a null value.</exception>
    public SearchFilter WithKeyword(string field, params string[] anyOf)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentNullException.ThrowIfNull(anyOf);
        if (anyOf.Length == 0 || anyOf.Any(v => v is null))
        {
            throw new ArgumentException($"Keyword filter on '{field}' needs at least one non-null value.", nameof(anyOf));
        }

        return With(new Condition(field, FieldKind.Keyword, [.. anyOf], null, null));
    }

    /// <summary>Adds: numeric field <paramref name="field"/> lies in [<paramref name="min"/>, <paramref name="max"/>]
    /// (inclusive; a null bound is open).</summary>
    /// <exception cref="ArgumentException">Both bounds null, a NaN bound, or min above max.</exception>
    public SearchFilter WithNumberRange(string field, double? min, double? max)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        if (min is null && max is null || min is double a && double.IsNaN(a) || max is double b && double.IsNaN(b) || min > max)
        {
            throw new ArgumentException($"Number range on '{field}' must have at least one bound, no NaN, and min <= max (got {Format(min)}..{Format(max)}).", nameof(min));
        }

        return With(new Condition(field, FieldKind.Number, [], min, max));
    }

    /// <summary>Adds: date field <paramref name="field"/> lies in [<paramref name="from"/>, <paramref name="to"/>]
    /// (inclusive, millisecond precision; a null bound is open).</summary>
    /// <exception cref="ArgumentException">Both bounds null, or from after to.</exception>
    public SearchFilter WithDateRange(string field, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        if (from is null && to is null || from > to)
        {
            throw new ArgumentException($"Date range on '{field}' must have at least one bound and from <= to (got {from:O}..{to:O}).", nameof(from));
        }

        return With(new Condition(field, FieldKind.Date, [], from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds()));
    }

    /// <summary>Restricts matching documents to these kinds (replacing an earlier kind restriction).</summary>
    /// <exception cref="ArgumentException">No kind, or an undefined one.</exception>
    public SearchFilter WithKinds(params DocumentKind[] kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Length == 0 || kinds.Any(k => !Enum.IsDefined(k)))
        {
            throw new ArgumentException("A kind filter needs at least one defined DocumentKind.", nameof(kinds));
        }

        return new SearchFilter(_conditions, [.. kinds.Distinct().Order()]);
    }

    /// <summary>Checks every condition against the index's metadata kinds and builds the Lucene filter query, or
    /// null when the filter is empty.</summary>
    internal Query? ToLuceneQuery(HybridIndex index)
    {
        if (IsEmpty)
        {
            return null;
        }

        var query = new BooleanQuery();
        foreach (var condition in _conditions)
        {
            if (index.TryGetMetadataKind(condition.Field, out var kind) && kind != condition.Kind)
            {
                throw new InvalidHybridQueryException(
                    $"filter on '{condition.Field}'",
                    $"the index holds it as a {kind.ToString().ToLowerInvariant()} field, the filter treats it as a {condition.Kind.ToString().ToLowerInvariant()}.");
            }

            query.Add(condition.ToLuceneQuery(), Occur.MUST);
        }

        if (Kinds is not null)
        {
            var kinds = new BooleanQuery();
            foreach (var kind in Kinds)
            {
                kinds.Add(new TermQuery(new Term(IndexFieldNames.Kind, kind.ToString().ToLowerInvariant())), Occur.SHOULD);
            }

            query.Add(kinds, Occur.MUST);
        }

        return query;
    }

    /// <summary>The conditions as plain values (field, kind, keyword values, bounds), for sending a filter to
    /// another process (the cluster's shards) and rebuilding it there with the public With* methods.</summary>
    internal IEnumerable<(string Field, FieldKind Kind, string[] Values, double? Min, double? Max)> Conditions =>
        _conditions.Select(c => (c.Field, c.Kind, c.Values, c.Min, c.Max));

    /// <inheritdoc />
    public override string ToString() =>
        IsEmpty ? "(none)" : string.Join(" AND ", _conditions.Select(c => c.ToString()).Concat(Kinds is null ? [] : [$"kind in ({string.Join(", ", Kinds)})"]));

    private SearchFilter With(Condition condition) => new([.. _conditions, condition], Kinds is null ? null : [.. Kinds]);

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "*";

    private sealed record Condition(string Field, FieldKind Kind, string[] Values, double? Min, double? Max)
    {
        public Query ToLuceneQuery()
        {
            var field = IndexFieldNames.Metadata(Field);
            switch (Kind)
            {
                case FieldKind.Keyword:
                    if (Values.Length == 1)
                    {
                        return new TermQuery(new Term(field, Values[0]));
                    }

                    var any = new BooleanQuery();
                    foreach (var value in Values)
                    {
                        any.Add(new TermQuery(new Term(field, value)), Occur.SHOULD);
                    }

                    return any;
                case FieldKind.Number:
                    return NumericRangeQuery.NewDoubleRange(field, Min, Max, true, true);
                default:
                    return NumericRangeQuery.NewInt64Range(field, (long?)Min, (long?)Max, true, true);
            }
        }

        public override string ToString() => Kind switch
        {
            FieldKind.Keyword => $"{Field} in ({string.Join(", ", Values)})",
            FieldKind.Number => $"{Field} in [{Format(Min)}, {Format(Max)}]",
            _ => $"{Field} in [{(Min is null ? "*" : DateTimeOffset.FromUnixTimeMilliseconds((long)Min).ToString("O", CultureInfo.InvariantCulture))}, {(Max is null ? "*" : DateTimeOffset.FromUnixTimeMilliseconds((long)Max).ToString("O", CultureInfo.InvariantCulture))}]",
        };
    }
}

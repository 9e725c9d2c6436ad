using System.Collections.Frozen;

namespace HybridSearch.Querying;

/// <summary>
/// The names under which <see cref="SearchLeg"/>s travel through fusion (which knows legs only by name, so that it
/// stays independent of the query side), stored profiles and explanations. One table both ways, so a leg is never
/// recovered by parsing text.
/// </summary>
internal static class SearchLegNames
{
    private static readonly FrozenDictionary<SearchLeg, string> NameOf =
        Enum.GetValues<SearchLeg>().ToFrozenDictionary(leg => leg, leg => leg.ToString());

    private static readonly FrozenDictionary<string, SearchLeg> LegOf =
        NameOf.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The fusion name of <paramref name="leg"/>.</summary>
    public static string Of(SearchLeg leg) => NameOf[leg];

    /// <summary>The leg fused under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No leg has that name (a bug: fusion only returns the names it was given).</exception>
    public static SearchLeg LegNamed(string name) =>
        LegOf.TryGetValue(name, out var leg) ? leg : throw new ArgumentException($"'{name}' is not the name of a search leg.", nameof(name));
}

namespace Strata.Core.Restore;

/// <summary>Places the resource types of a backup into the tiers of a <see cref="RestoreOrder"/>.</summary>
public static class RestorePlanner
{
    /// <summary>
    /// The non-empty tiers, first to last. Within a tier, types are in alphabetical order of their
    /// qualified name (then version), so that a restore is the same every time.
    /// </summary>
    public static IReadOnlyList<PlannedTier> Plan(IEnumerable<SourceType> types, RestoreOrder order, Func<SourceType, bool> isCustom)
    {
        var byTier = types
            .GroupBy(t => order.TierOf(t.QualifiedName, isCustom(t)))
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.QualifiedName, StringComparer.Ordinal).ThenBy(t => t.Version, StringComparer.Ordinal).ToList());
        return [.. byTier.Keys.Order().Select(i => new PlannedTier(order.Tiers[i], byTier[i]))];
    }
}

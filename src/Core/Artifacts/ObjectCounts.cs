namespace Strata.Core.Artifacts;

/// <summary>Captured objects, in total and broken down.</summary>
public sealed record ObjectCounts(
    long Total,
    IReadOnlyDictionary<string, long> ByResource,
    IReadOnlyDictionary<string, long> ByNamespace);

namespace Strata.Core.Runs;

/// <summary>A restore's request as recorded.</summary>
public sealed record RestoreOptionsSummary(
    IReadOnlyList<string> IncludeNamespaces,
    IReadOnlyList<string> ExcludeNamespaces,
    string? Selector,
    IReadOnlyList<string> IncludeResources,
    IReadOnlyList<string> ExcludeResources,
    IReadOnlyDictionary<string, string> NamespaceMappings,
    string ExistingResourcePolicy,
    IReadOnlyList<string> Priorities,
    bool AllowIncomplete);

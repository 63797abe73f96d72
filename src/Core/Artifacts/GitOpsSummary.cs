namespace Strata.Core.Artifacts;

/// <summary>GitOps classification: counts, and each managed object with its owner.</summary>
public sealed record GitOpsSummary(
    long Managed,
    long Skipped,
    IReadOnlyDictionary<string, long> ByManager,
    IReadOnlyList<GitOpsObject> Objects);

namespace Strata.Core.Backup;

/// <summary>A <see cref="BackupScope"/> as it is recorded in manifests and run history.</summary>
public sealed record BackupScopeSummary(
    IReadOnlyList<string> IncludeNamespaces,
    IReadOnlyList<string> ExcludeNamespaces,
    string? Selector,
    IReadOnlyList<string> IncludeResources,
    IReadOnlyList<string> ExcludeResources,
    string ClusterResources,
    bool SkipGitOpsManaged);

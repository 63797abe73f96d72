namespace Strata.Core.Backup;

/// <summary>A <see cref="BackupScope"/> as it is recorded in manifests and run history.</summary>
public sealed record BackupScopeSummary(
    IReadOnlyList<string> IncludeNamespaces,
    IReadOnlyList<string> ExcludeNamespaces,
    string? Selector,
    IReadOnlyList<string> IncludeResources,
    IReadOnlyList<string> ExcludeResources,
    string ClusterResources,
    bool SkipGitOpsManaged)
{
    /// <summary>Whether <paramref name="other"/> asks for the same objects (lists compared by content, not reference).</summary>
    public bool SameAs(BackupScopeSummary? other) =>
        other is not null
        && IncludeNamespaces.SequenceEqual(other.IncludeNamespaces) && ExcludeNamespaces.SequenceEqual(other.ExcludeNamespaces)
        && Selector == other.Selector
        && IncludeResources.SequenceEqual(other.IncludeResources) && ExcludeResources.SequenceEqual(other.ExcludeResources)
        && ClusterResources == other.ClusterResources && SkipGitOpsManaged == other.SkipGitOpsManaged;
}

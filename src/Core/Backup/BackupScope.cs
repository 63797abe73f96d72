using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>What a backup takes from a cluster.</summary>
public sealed record BackupScope
{
    /// <summary>Namespaces to take; empty means all.</summary>
    public IReadOnlyList<string> IncludeNamespaces { get; init; } = [];

    /// <summary>Namespaces to leave out.</summary>
    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    /// <summary>Objects must match this label selector.</summary>
    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>Resource types to take (names as kubectl accepts them); empty means all.</summary>
    public IReadOnlyList<string> IncludeResources { get; init; } = [];

    /// <summary>Resource types to leave out.</summary>
    public IReadOnlyList<string> ExcludeResources { get; init; } = [];

    /// <summary>Cluster-scoped resources: auto, include or exclude.</summary>
    public ClusterResourcesMode ClusterResources { get; init; } = ClusterResourcesMode.Auto;

    /// <summary>Leave out objects that Argo CD or Flux manage (they can be rebuilt from Git).</summary>
    public bool SkipGitOpsManaged { get; init; }

    /// <summary>True when every namespace is in scope.</summary>
    public bool AllNamespaces => IncludeNamespaces.Count == 0 || IncludeNamespaces.Contains("*");

    /// <summary>Whether objects in <paramref name="ns"/> are in scope.</summary>
    public bool IncludesNamespace(string ns) =>
        (AllNamespaces || IncludeNamespaces.Contains(ns, StringComparer.Ordinal))
        && !ExcludeNamespaces.Contains(ns, StringComparer.Ordinal);

    /// <summary>The serializable form.</summary>
    public BackupScopeSummary ToSummary() => new(
        IncludeNamespaces, ExcludeNamespaces, Selector.IsEmpty ? null : Selector.ToString(),
        IncludeResources, ExcludeResources, ClusterResources.ToString().ToLowerInvariant(), SkipGitOpsManaged);
}

using Strata.Core.Kubernetes;
using Strata.Core.Runs;

namespace Strata.Core.Restore;

/// <summary>A restore to run.</summary>
public sealed record RestoreRequest
{
    /// <summary>A precomputed id (requests by message derive theirs); a new one when null.</summary>
    public string? RestoreId { get; init; }

    /// <summary>The backup to restore from.</summary>
    public required string BackupId { get; init; }

    /// <summary>The cluster restored into, as recorded.</summary>
    public required string TargetCluster { get; init; }

    /// <summary>Source namespaces to restore; empty means all.</summary>
    public IReadOnlyList<string> IncludeNamespaces { get; init; } = [];

    /// <summary>Source namespaces to leave out.</summary>
    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    /// <summary>Objects must match this label selector (cluster-scoped objects the restored ones need are kept whatever it says).</summary>
    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>Resource types to restore, as kubectl names them; empty means all.</summary>
    public IReadOnlyList<string> IncludeResources { get; init; } = [];

    /// <summary>Resource types to leave out.</summary>
    public IReadOnlyList<string> ExcludeResources { get; init; } = [];

    /// <summary>Source namespace → target namespace.</summary>
    public NamespaceMapping NamespaceMapping { get; init; } = NamespaceMapping.None;

    /// <summary>What to do with objects that exist.</summary>
    public ExistingResourcePolicy ExistingResourcePolicy { get; init; } = ExistingResourcePolicy.Skip;

    /// <summary>Validate every object on the server (<c>dryRun=All</c>) and persist nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Let the target allocate every Service's node ports anew instead of asking for the backed-up ones: a copy
    /// beside the original (a restore drill on the same cluster) would otherwise be refused for ports the original holds.
    /// </summary>
    public bool ReallocateNodePorts { get; init; }

    /// <summary>
    /// Restore a copy that acts on nothing outside its namespaces (<see cref="RestoreSanitizer.DisarmChanges"/>): CronJobs
    /// suspended, LoadBalancer Services made ClusterIP, external-dns annotations dropped — for a copy beside the original.
    /// </summary>
    public bool DisarmExternalEffects { get; init; }

    /// <summary>Restore from a backup that has no manifest (its artifacts cannot be checked).</summary>
    public bool AllowIncomplete { get; init; }

    /// <summary>
    /// Restore from a backup without a valid manifest signature where one is required (<see cref="RestoreOptions.SignatureRequiredFor"/>):
    /// <c>--allow-unsigned</c>, for a backup written before signing. It is reported unsigned.
    /// </summary>
    public bool AllowUnsigned { get; init; }

    /// <summary>Who or what asked, recorded on the run (<see cref="RestoreRecord.RequestedBy"/>).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Extra ordering, merged into <see cref="RestoreOrder.Default"/>.</summary>
    public IReadOnlyList<string> Priorities { get; init; } = [];

    /// <summary>The recorded form.</summary>
    public RestoreOptionsSummary ToSummary() => new(
        IncludeNamespaces, ExcludeNamespaces, Selector.IsEmpty ? null : Selector.ToString(), IncludeResources, ExcludeResources,
        NamespaceMapping.Pairs, ExistingResourcePolicy.ToString().ToLowerInvariant(), Priorities, AllowIncomplete);
}

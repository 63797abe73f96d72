using Strata.Core.Kubernetes;
using Strata.Core.Runs;

namespace Strata.Core.Restore;

/// <summary>What to do with an object that already exists in the target.</summary>
public enum ExistingResourcePolicy
{
    /// <summary>Leave it as it is, and report it.</summary>
    Skip,

    /// <summary>Apply the backed-up version over it (a JSON merge patch: fields the backup lacks are kept).</summary>
    Update,
}

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

    /// <summary>Restore from a backup that has no manifest (its artifacts cannot be checked).</summary>
    public bool AllowIncomplete { get; init; }

    /// <summary>Extra ordering, merged into <see cref="RestoreOrder.Default"/>.</summary>
    public IReadOnlyList<string> Priorities { get; init; } = [];

    /// <summary>The recorded form.</summary>
    public RestoreOptionsSummary ToSummary() => new(
        IncludeNamespaces, ExcludeNamespaces, Selector.IsEmpty ? null : Selector.ToString(), IncludeResources, ExcludeResources,
        NamespaceMapping.Pairs, ExistingResourcePolicy.ToString().ToLowerInvariant(), Priorities, AllowIncomplete);
}

/// <summary>Tuning for <see cref="BackupRestore"/>.</summary>
public sealed record RestoreOptions
{
    /// <summary>Objects applied at once within a tier. Default 16 (the client's connection pool).</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>How long to wait for a restored CustomResourceDefinition to be Established. Default 60 s.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look while waiting. Default 250 ms.</summary>
    public TimeSpan EstablishPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Scratch space for the archive's documents between verification and apply (one stream per
    /// resource type; read back once, then disposed). Default: memory. The CLI passes temporary files.
    /// </summary>
    public Func<Stream> Scratch { get; init; } = () => new MemoryStream();
}

/// <summary>Progress of a running restore.</summary>
/// <param name="Phase">What it is doing: verifying, applying, waiting, fixing owners.</param>
/// <param name="Done">Objects handled so far.</param>
/// <param name="Total">Objects to handle (known once verified).</param>
/// <param name="Tier">The tier being applied.</param>
public sealed record RestoreProgress(string Phase, long Done, long Total, string? Tier);

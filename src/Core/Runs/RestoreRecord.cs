using Strata.Core.Results;

namespace Strata.Core.Runs;

/// <summary>The run-history record of one restore: what was asked for, and what happened to each object.</summary>
public sealed record RestoreRecord
{
    /// <summary>Restore id; same shape as a backup id (<see cref="BackupId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The backup restored from.</summary>
    public required string BackupId { get; init; }

    /// <summary>The cluster the backup came from.</summary>
    public string? SourceCluster { get; init; }

    /// <summary>The cluster restored into (the kubeconfig context or configured name).</summary>
    public required string TargetCluster { get; init; }

    /// <summary>Where the run stands.</summary>
    public required RestoreStatus Status { get; init; }

    /// <summary>Whether the server was asked to validate only (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>What was asked for.</summary>
    public RestoreOptionsSummary? Options { get; init; }

    /// <summary>Objects per outcome.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>Objects changed so as to act on nothing outside the restore (<c>DisarmExternalEffects</c>), per change (<c>cronJobsSuspended</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Disarmed { get; init; } = new Dictionary<string, long>();

    /// <summary>What happened to each object in scope.</summary>
    public IReadOnlyList<RestoreItemResult> Items { get; init; } = [];

    /// <summary>Problems that concern no single object (a resource served in another version, a CRD that never became Established).</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];

    /// <summary>Why the run was refused or failed as a whole.</summary>
    public string? Error { get; init; }

    /// <summary>What the backup's manifest signature said when the restore read it; null for an older record, or a backup without a manifest.</summary>
    public Encryption.SignatureCheck? Signature { get; init; }

    /// <summary>Who or what asked for the restore (an HTTP caller's Entra ID identity, <c>function-key</c>, a ticket system, a person at the CLI).</summary>
    public string? RequestedBy { get; init; }
}

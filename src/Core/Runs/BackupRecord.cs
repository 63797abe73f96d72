using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Results;

namespace Strata.Core.Runs;

/// <summary>The run-history record of one backup. Status lives here, never in the artifacts.</summary>
public sealed record BackupRecord
{
    /// <summary>Backup id (see <see cref="BackupId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Cluster name (the kubeconfig context or the configured cluster name).</summary>
    public required string Cluster { get; init; }

    /// <summary>Policy name; <c>adhoc</c> for backups asked for by hand.</summary>
    public required string Policy { get; init; }

    /// <summary>Where the run stands.</summary>
    public required BackupStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Key prefix of the backup's artifacts in the store.</summary>
    public required string Location { get; init; }

    /// <summary>The API server's version.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>What was asked for.</summary>
    public BackupScopeSummary? Scope { get; init; }

    /// <summary>Objects captured.</summary>
    public long ObjectCount { get; init; }

    /// <summary>Objects captured per group-qualified resource.</summary>
    public IReadOnlyDictionary<string, long> CountsByResource { get; init; } = new Dictionary<string, long>();

    /// <summary>Every problem, per item.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];

    /// <summary>Every committed artifact with its size and SHA-256.</summary>
    public IReadOnlyList<ArtifactEntry> Artifacts { get; init; } = [];

    /// <summary>Why the run failed as a whole, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>Until when the artifacts are write-once (locked against deletion), when the policy asks for it.</summary>
    public DateTimeOffset? RetainUntil { get; init; }

    /// <summary>When retention deleted the artifacts; the record stays as history.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>
    /// The key id that signed the manifest at capture (<c>manifest.sig</c>); null when it was written unsigned. The run
    /// history is kept apart from the artifacts, so this is what tells a restore that a missing or foreign signature was
    /// not there to begin with: a backup recorded as signed is opened only with a valid signature.
    /// </summary>
    public string? SignedBy { get; init; }

    /// <summary>Who or what asked for the backup (schedule-tick, a CI pipeline, a person).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Until when the running process holds the run (renewed while it works); a run whose lease expired without a manifest died.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The latest verification of the artifacts, once one ran.</summary>
    public Verification.VerificationReport? Verification { get; init; }

    /// <summary>
    /// The record as it stands at <paramref name="now"/>: a run still recorded <see cref="BackupStatus.InProgress"/> whose
    /// lease ran out is shown as <see cref="BackupStatus.Interrupted"/> (its process died) until the freshness pass records it so.
    /// </summary>
    public BackupRecord AsSeenAt(DateTimeOffset now) =>
        Status == BackupStatus.InProgress && LeaseExpiresAt < now ? this with { Status = BackupStatus.Interrupted } : this;

    /// <summary>Capture left items out (errors among the problems), whatever verification says of what it did commit.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsPartial => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    /// <summary>A good backup: committed, complete, verified from the store, and not expired. Only these count for freshness, retention's minVerifiedKept and the status page.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsVerified => Status == BackupStatus.Verified && ExpiredAt is null;

    /// <summary>Committed with a manifest (whatever verification later says), so there is something to verify.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsCommitted => Status is BackupStatus.Succeeded or BackupStatus.PartiallyFailed or BackupStatus.Verified or BackupStatus.VerificationFailed;
}

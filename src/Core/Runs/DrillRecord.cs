using Strata.Core.Configuration;

namespace Strata.Core.Runs;

/// <summary>
/// The run-history record of one restore drill: which backup was restored where and how, what each
/// assertion saw and when it held, what the target refused, what the drill left behind, and the RTO.
/// </summary>
public sealed record DrillRecord
{
    /// <summary>Drill id; same shape as a backup id (<see cref="BackupId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The backup drilled.</summary>
    public required string BackupId { get; init; }

    /// <summary>The backup's policy.</summary>
    public required string Policy { get; init; }

    /// <summary>The backup's cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>The cluster restored into.</summary>
    public required string Target { get; init; }

    /// <summary>Scratch restore or dry run.</summary>
    public required DrillMode Mode { get; init; }

    /// <summary>Where the drill stands.</summary>
    public required DrillStatus Status { get; init; }

    /// <summary>When it started: the RTO counts from here.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended (after clean-up).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>
    /// The measured recovery time: seconds from <see cref="StartedAt"/> to the last assertion passing (to the
    /// restore's end when nothing was asserted); null for a dry run and for a drill that did not pass.
    /// </summary>
    public double? RtoSeconds { get; init; }

    /// <summary>The policy's recovery-time objective when the drill ran, in seconds.</summary>
    public double? RtoObjectiveSeconds { get; init; }

    /// <summary>Seconds the restore took (from the drill's start to the last object applied).</summary>
    public double? RestoreSeconds { get; init; }

    /// <summary>The restore run this drill made (in the restore history under the same id).</summary>
    public string? RestoreId { get; init; }

    /// <summary>Objects per restore outcome (<c>created</c>, <c>skippedExisting</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// What a scratch drill changed so that the copy is harmless beside the original, per change (<c>cronJobsSuspended</c>,
    /// <c>loadBalancersMadeClusterIP</c>, <c>externalDnsAnnotationsDropped</c>); empty when nothing needed it.
    /// </summary>
    public IReadOnlyDictionary<string, long> Disarmed { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// A dry run's objects the target could not judge (their namespace or CRD is one the restore would create, which a
    /// dry run does not), with why; counted as <c>notValidated</c> in <see cref="Counts"/>. Any fails the drill.
    /// </summary>
    public IReadOnlyList<DrillRefusal> NotValidated { get; init; } = [];

    /// <summary>Every assertion, in the order they were set.</summary>
    public IReadOnlyList<DrillAssertionResult> Assertions { get; init; } = [];

    /// <summary>Every object the target refused.</summary>
    public IReadOnlyList<DrillRefusal> Refused { get; init; } = [];

    /// <summary>The scratch namespaces (source → scratch name).</summary>
    public IReadOnlyDictionary<string, string> Namespaces { get; init; } = new Dictionary<string, string>();

    /// <summary>Cluster-scoped objects the drill created because the target lacked them; they are left there (<c>storageclasses.storage.k8s.io/fast-ssd</c>).</summary>
    public IReadOnlyList<string> CreatedClusterObjects { get; init; } = [];

    /// <summary>
    /// The pre-provisioned VolumeSnapshotContents the drill made to restore claims from snapshots, removed in clean-up
    /// (cluster-scoped, the scratch namespaces' deletion does not take them; Retain, so the storage snapshots stay).
    /// </summary>
    public int SnapshotContentsRemoved { get; init; }

    /// <summary>Scratch namespaces kept for people to look at (a failed drill with <c>keepOnFailure</c>), or that could not be deleted.</summary>
    public IReadOnlyList<string> KeptNamespaces { get; init; } = [];

    /// <summary>The database drills: each dump restored into a scratch database, its queries, its RTO.</summary>
    public IReadOnlyList<Databases.DatabaseDrillResult> Databases { get; init; } = [];

    /// <summary>The rebuild drill of the backup's etcd snapshot (<c>mode: etcdRestore</c>); null for the other modes.</summary>
    public Etcd.EtcdDrillResult? Etcd { get; init; }

    /// <summary>What did not fail the drill but needs a look: a scratch namespace still terminating, one that could not be deleted.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What went wrong with the drill as a whole (refused backup, unreachable target, timeout).</summary>
    public string? Error { get; init; }

    /// <summary>What the backup's manifest signature said when the drill read it; null for an older record, or a drill that read no manifest.</summary>
    public Encryption.SignatureCheck? Signature { get; init; }

    /// <summary>Who or what asked for the drill (drill-tick, a person).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Passed, but slower than the recovery-time objective.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ExceededObjective => Status == DrillStatus.Passed && RtoSeconds is { } rto && RtoObjectiveSeconds is { } objective && rto > objective;
}

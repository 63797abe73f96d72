namespace Strata.Core.Volumes;

/// <summary>
/// One PersistentVolumeClaim's snapshot in a backup, as the manifest records it (and, with the objects themselves, the
/// artifact <c>volumes/{ns}/{pvc}.json</c>): the <c>VolumeSnapshot</c> Strata created, the bound
/// <c>VolumeSnapshotContent</c> and the storage system's handle — what a restore needs to create a claim from it, in this
/// cluster or, where the CSI driver allows, another — with how consistent it is and the hooks that ran around it.
/// </summary>
public sealed record VolumeSnapshotRecord
{
    /// <summary>The claim's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The claim's name.</summary>
    public required string Claim { get; init; }

    /// <summary>The artifact <c>volumes/{ns}/{pvc}.json</c>; null when nothing was committed (the snapshot failed).</summary>
    public string? Path { get; init; }

    /// <summary>The claim's StorageClass.</summary>
    public string? StorageClass { get; init; }

    /// <summary>The CSI driver of the claim's volume (and of the snapshot).</summary>
    public string? Driver { get; init; }

    /// <summary>The VolumeSnapshotClass the snapshot was taken with.</summary>
    public string? VolumeSnapshotClass { get; init; }

    /// <summary>The claim's requested size (<c>spec.resources.requests.storage</c>), as a quantity.</summary>
    public string? RequestedSize { get; init; }

    /// <summary>The claim's access modes.</summary>
    public IReadOnlyList<string> AccessModes { get; init; } = [];

    /// <summary>The claim's <c>volumeMode</c> (<c>Filesystem</c> or <c>Block</c>).</summary>
    public string? VolumeMode { get; init; }

    /// <summary>The VolumeSnapshot's name (in <see cref="Namespace"/>).</summary>
    public required string SnapshotName { get; init; }

    /// <summary>The VolumeSnapshot's uid.</summary>
    public string? SnapshotUid { get; init; }

    /// <summary>The bound VolumeSnapshotContent (<c>status.boundVolumeSnapshotContentName</c>).</summary>
    public string? ContentName { get; init; }

    /// <summary>The storage system's id of the snapshot (<c>VolumeSnapshotContent.status.snapshotHandle</c>).</summary>
    public string? SnapshotHandle { get; init; }

    /// <summary>The smallest volume the snapshot restores into (<c>VolumeSnapshot.status.restoreSize</c>), as a quantity.</summary>
    public string? RestoreSize { get; init; }

    /// <summary>The same in bytes (<c>VolumeSnapshotContent.status.restoreSize</c>).</summary>
    public long? RestoreSizeBytes { get; init; }

    /// <summary>When the storage system cut the snapshot (<c>status.creationTime</c>).</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>
    /// The content's <c>deletionPolicy</c> as Strata left it: <c>Retain</c> (the storage snapshot outlives its
    /// VolumeSnapshot — and the namespace) or <c>Delete</c> (it goes with its VolumeSnapshot: Strata could not change it).
    /// </summary>
    public string? DeletionPolicy { get; init; }

    /// <summary>
    /// The content's <c>deletionPolicy</c> before Strata set it to <c>Retain</c> (<c>Delete</c>, from its
    /// VolumeSnapshotClass): retention then deletes the storage snapshot itself. Null when Strata changed nothing.
    /// </summary>
    public string? OriginalDeletionPolicy { get; init; }

    /// <summary>True when Strata changed the content from <c>Delete</c> to <c>Retain</c>, and so owes its deletion.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool RetainedByStrata => OriginalDeletionPolicy == "Delete" && DeletionPolicy == "Retain";

    /// <summary><c>status.readyToUse</c> when Strata stopped waiting.</summary>
    public bool ReadyToUse { get; init; }

    /// <summary>True when an earlier attempt of this backup had created the VolumeSnapshot and it was found, not created again.</summary>
    public bool Reused { get; init; }

    /// <summary>How consistent the data in the snapshot is.</summary>
    public VolumeConsistency Consistency { get; init; } = VolumeConsistency.Crash;

    /// <summary>Why a snapshot that was meant to be application-consistent is not (the session dropped before <c>pg_backup_stop</c>, …).</summary>
    public string? ConsistencyProblem { get; init; }

    /// <summary>The online backup of the database whose data the volume holds (<c>pg_backup_start</c>/<c>pg_backup_stop</c>); null for crash-consistent snapshots.</summary>
    public OnlineBackupRecord? OnlineBackup { get; init; }

    /// <summary>The hooks that ran before and after the snapshot, in the order they ran.</summary>
    public IReadOnlyList<HookRun> Hooks { get; init; } = [];

    /// <summary>When Strata asked for the snapshot.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>From the request to <c>readyToUse</c> (or to the error or timeout).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Why the snapshot is not usable (<c>status.error</c>, a timeout, a hook that failed with <c>onError: Fail</c>); null when it is.</summary>
    public string? Error { get; init; }

    /// <summary>For messages: <c>ns/pvc</c>.</summary>
    public string Qualified => $"{Namespace}/{Claim}";
}

namespace Strata.Core.Results;

/// <summary>
/// The machine-readable reasons Strata gives a <see cref="Problem"/>. Failures the Kubernetes API reports
/// keep the API's own reason (<c>Forbidden</c>, <c>NotFound</c>, <c>Expired</c>, …) as the server sent it.
/// </summary>
public static class ProblemReasons
{
    /// <summary>The API server refused the identity (the API's own reason, which capture explains with the missing verb).</summary>
    public const string Forbidden = "Forbidden";

    /// <summary>A group/version's discovery failed: its resources could not be listed.</summary>
    public const string DiscoveryFailed = "DiscoveryFailed";

    /// <summary>An object or resource the run looked for is not there.</summary>
    public const string NotFound = "NotFound";

    /// <summary>A restore priority names nothing that can be ordered by it.</summary>
    public const string PriorityIgnored = "PriorityIgnored";

    /// <summary>The target serves a resource at another version than the backup holds.</summary>
    public const string VersionChanged = "VersionChanged";

    /// <summary>Restored objects point at owners that get new uids.</summary>
    public const string OwnerReferences = "OwnerReferences";

    /// <summary>The backup has no manifest: it never completed and nothing in it can be checked.</summary>
    public const string Incomplete = "Incomplete";

    /// <summary>A restored CustomResourceDefinition did not become Established in time.</summary>
    public const string NotEstablished = "NotEstablished";

    /// <summary>An item took longer than its timeout and was stopped.</summary>
    public const string Timeout = "Timeout";

    /// <summary>A database target could not be reached or signed in to: its pod, its Secret, its server.</summary>
    public const string DatabaseUnreachable = "DatabaseUnreachable";

    /// <summary>A client tool (pg_dump, mariadb-dump) is not installed where it was to run.</summary>
    public const string ToolMissing = "ToolMissing";

    /// <summary>A dump tool failed, or its stream dropped before it finished: nothing was committed.</summary>
    public const string DumpFailed = "DumpFailed";

    /// <summary>A dump tool exited 0, but its output is not a whole dump (cut short or damaged on its way): nothing was committed.</summary>
    public const string DumpUnreadable = "DumpUnreadable";

    /// <summary>An operator the policy relies on (CloudNativePG) is not installed on the cluster: its API is not served.</summary>
    public const string NotInstalled = "NotInstalled";

    /// <summary>An operator's backup (a CloudNativePG <c>Backup</c>) ended <c>failed</c>: its own error says why.</summary>
    public const string BackupFailed = "BackupFailed";

    /// <summary>A CSI VolumeSnapshot ended with <c>status.error</c>: the snapshot controller's message says why.</summary>
    public const string SnapshotFailed = "SnapshotFailed";

    /// <summary>A backup hook failed with <c>onError: Fail</c>: the snapshots it guarded were not taken (pre) or are reported failed (post).</summary>
    public const string HookFailed = "HookFailed";

    /// <summary>
    /// A claim in scope that no snapshot protects (not bound, not CSI, no VolumeSnapshotClass for its driver); in a restore,
    /// a claim without a usable snapshot in the backup, restored without its data.
    /// </summary>
    public const string Unprotected = "Unprotected";

    /// <summary>A VolumeSnapshotClass named in strata.yaml is for another CSI driver than the claim's volume.</summary>
    public const string DriverMismatch = "DriverMismatch";

    /// <summary>Snapshots meant to be application-consistent are only crash-consistent (the online backup did not start or stop).</summary>
    public const string NotConsistent = "NotConsistent";

    /// <summary>
    /// A claim restored from a snapshot that is committed and ready, but against which the backup recorded an error (a post
    /// hook that failed with <c>onError: Fail</c>): the claim has the snapshot's data, and the error is passed on.
    /// </summary>
    public const string RecordedError = "RecordedError";

    /// <summary>A claim restored from a snapshot asked for less storage than the snapshot needs: its request was raised.</summary>
    public const string RequestRaised = "RequestRaised";

    /// <summary>A PostgreSQL volume restored from an application-consistent snapshot needs its <c>backup_label</c> before the server starts.</summary>
    public const string BackupLabel = "BackupLabel";

    /// <summary>No configured etcd endpoint answered well enough to be snapshotted (down, TLS refused, a <c>CORRUPT</c> alarm on it, no leader).</summary>
    public const string EtcdUnreachable = "EtcdUnreachable";

    /// <summary>An artifact failed its own integrity check (etcd's SHA-256 trailer, the bbolt header, a tar that does not read).</summary>
    public const string IntegrityFailed = "IntegrityFailed";

    /// <summary>A part left off because it would store private keys unencrypted and the policy does not allow it.</summary>
    public const string KeysUnencrypted = "KeysUnencrypted";

    /// <summary>A control-plane node's files could not be copied (its Pod did not start, an entry is missing, tar failed).</summary>
    public const string FilesFailed = "FilesFailed";

    /// <summary>An alarm etcd reports for the cluster (<c>NOSPACE</c>: it refuses writes) that does not stop a snapshot.</summary>
    public const string EtcdAlarm = "EtcdAlarm";

    /// <summary>
    /// The cluster's <c>etcd:</c> does not match what Strata finds: endpoints answering for different etcd clusters, a
    /// member missing from its own member list (a load balancer in front), control-plane nodes but no endpoints.
    /// </summary>
    public const string EtcdMisconfigured = "EtcdMisconfigured";

    /// <summary>The backup's manifest is not signed (an older backup), or signed by a key Strata does not hold: its hashes are not proven to be the ones written.</summary>
    public const string Unsigned = "Unsigned";
}

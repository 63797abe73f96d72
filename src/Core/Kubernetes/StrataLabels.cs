namespace Strata.Core.Kubernetes;

/// <summary>
/// The labels Strata puts on what it creates in a cluster (CloudNativePG Backups, VolumeSnapshots): they link an object
/// to the Strata backup that asked for it, so a replayed run finds its own, and retention deletes only what Strata made.
/// </summary>
public static class StrataLabels
{
    /// <summary>The label linking an object to the Strata backup that created it.</summary>
    public const string BackupId = "strata.dev/backup-id";

    /// <summary>
    /// The label linking an object to the Strata restore (or drill) that created it: the pre-provisioned
    /// VolumeSnapshotContents and VolumeSnapshots a claim is restored from, a PostgreSQL <c>backup_label</c> ConfigMap.
    /// Never <see cref="BackupId"/> on those: retention deletes what carries a backup's id.
    /// </summary>
    public const string RestoreId = "strata.dev/restore-id";

    /// <summary>The label naming the Strata policy that created an object.</summary>
    public const string Policy = "strata.dev/policy";

    /// <summary>The well-known label naming who manages an object.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedBy"/> on what Strata creates.</summary>
    public const string Manager = "strata";
}

using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// The parts of the CSI snapshot API (<c>snapshot.storage.k8s.io/v1</c>, served by the external-snapshotter's CRDs) and of
/// the storage API that the volume layer reads and writes, by their wire names.
/// </summary>
public static class VolumeSnapshotApi
{
    /// <summary>The snapshot API group.</summary>
    public const string Group = "snapshot.storage.k8s.io";

    /// <summary>The version Strata speaks.</summary>
    public const string Version = "v1";

    /// <summary><c>snapshot.storage.k8s.io/v1</c>.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The annotation that makes a VolumeSnapshotClass the default of its driver (<c>"true"</c>).</summary>
    public const string DefaultClassAnnotation = "snapshot.storage.kubernetes.io/is-default-class";

    /// <summary>The label naming the PersistentVolumeClaim a Strata snapshot was taken of (also its annotation, since a claim's name may be longer than a label value).</summary>
    public const string ClaimAnnotation = "strata.dev/pvc";

    /// <summary>
    /// The annotation Strata puts on a VolumeSnapshotContent whose <c>deletionPolicy</c> it set to <c>Retain</c>, with the
    /// policy it had (<c>Delete</c>): so a replayed backup that finds the content already retained still records that
    /// Strata owes its deletion.
    /// </summary>
    public const string OriginalDeletionPolicyAnnotation = "strata.dev/original-deletion-policy";

    /// <summary>VolumeSnapshots: namespaced requests for (or bindings to) a snapshot.</summary>
    public static readonly ApiResource VolumeSnapshots = new(Group, Version, "volumesnapshots", "VolumeSnapshot", true, ["get", "list", "create", "delete"]);

    /// <summary>VolumeSnapshotContents: the cluster-scoped snapshots themselves (the storage system's handle).</summary>
    public static readonly ApiResource VolumeSnapshotContents = new(Group, Version, "volumesnapshotcontents", "VolumeSnapshotContent", false, ["get", "list", "create", "patch", "delete"]);

    /// <summary>VolumeSnapshotClasses: per CSI driver, how snapshots are taken and whether they outlive their VolumeSnapshot.</summary>
    public static readonly ApiResource VolumeSnapshotClasses = new(Group, Version, "volumesnapshotclasses", "VolumeSnapshotClass", false, ["get", "list"]);

    /// <summary>PersistentVolumeClaims.</summary>
    public static readonly ApiResource Claims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, ["get", "list", "create"]);

    /// <summary>PersistentVolumes (a claim's CSI driver and volume handle).</summary>
    public static readonly ApiResource Volumes = new("", "v1", "persistentvolumes", "PersistentVolume", false, ["get", "list"]);

    /// <summary>StorageClasses (a claim's provisioner, when its volume is not bound yet).</summary>
    public static readonly ApiResource StorageClasses = new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, ["get", "list"]);

    /// <summary>CSIDrivers: which CSI drivers a cluster has installed.</summary>
    public static readonly ApiResource CsiDrivers = new("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false, ["get", "list"]);

    /// <summary>Pods (who mounts a claim; their hook annotations).</summary>
    public static readonly ApiResource Pods = new("", "v1", "pods", "Pod", true, ["get", "list"]);
}

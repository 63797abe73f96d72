using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>A VolumeSnapshot the restore created, waited for before its claim is created.</summary>
/// <param name="Record">The backup's record of the snapshot.</param>
/// <param name="Namespace">The target namespace.</param>
/// <param name="SnapshotName">The new VolumeSnapshot.</param>
/// <param name="ContentName">The pre-provisioned VolumeSnapshotContent it binds to.</param>
/// <param name="Description">Where the claim's data comes from, for its item.</param>
/// <param name="OtherCluster">The target cluster, when it is not the one the backup was taken on.</param>
/// <param name="Step">How creating the VolumeSnapshot went (created, or found from an earlier attempt).</param>
internal sealed record PendingSnapshot(
    VolumeSnapshotRecord Record, string Namespace, string SnapshotName, string ContentName, string Description, string? OtherCluster, SnapshotSteps.Step Step);

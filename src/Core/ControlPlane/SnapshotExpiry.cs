using Strata.Core.Volumes;

namespace Strata.Core.ControlPlane;

/// <summary>What retention deletes for one snapshot record of an expiring backup, decided before anything is deleted.</summary>
/// <param name="Record">The record.</param>
/// <param name="Snapshot">The VolumeSnapshot under the recorded name is the backup's own: delete it.</param>
/// <param name="Content">
/// The recorded VolumeSnapshotContent is the one Strata set to <c>Retain</c>: set it back to <c>Delete</c> (and delete it
/// when <paramref name="Snapshot"/> is false — its VolumeSnapshot is gone, or is not the backup's).
/// </param>
internal sealed record SnapshotExpiry(VolumeSnapshotRecord Record, bool Snapshot, bool Content);

using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>One claim's snapshot in the backup: the manifest's record, its artifact, and why it cannot be used when it cannot.</summary>
/// <param name="Record">The manifest's record.</param>
/// <param name="Artifact">The artifact, when it was read.</param>
/// <param name="Unreadable">Why the artifact of a usable record could not be read; null when it was.</param>
internal sealed record RecordedSnapshot(VolumeSnapshotRecord Record, VolumeSnapshotArtifact? Artifact, string? Unreadable);

using System.Text.Json.Nodes;

namespace Strata.Core.Volumes;

/// <summary>
/// The artifact <c>volumes/{ns}/{pvc}.json</c>: the manifest's record of the snapshot, and the objects as they were when
/// the snapshot was ready — the claim, the <c>VolumeSnapshot</c> and its bound <c>VolumeSnapshotContent</c> — so a
/// restore (or a person with <c>kubectl</c>) can recreate the claim from the snapshot handle without Strata.
/// </summary>
/// <param name="Record">The manifest's record (with the online backup's <c>backup_label</c>).</param>
/// <param name="PersistentVolumeClaim">The claim as it was read.</param>
/// <param name="VolumeSnapshot">The VolumeSnapshot as it was when Strata stopped waiting.</param>
/// <param name="VolumeSnapshotContent">Its bound VolumeSnapshotContent; null when none was bound.</param>
public sealed record VolumeSnapshotArtifact(VolumeSnapshotRecord Record, JsonObject? PersistentVolumeClaim, JsonObject VolumeSnapshot, JsonObject? VolumeSnapshotContent);

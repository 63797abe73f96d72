namespace Strata.Core.Restore.Snapshots;

/// <summary>How one restored claim is created: from which VolumeSnapshot of its target namespace — or not at all, and why.</summary>
/// <param name="SnapshotName">The VolumeSnapshot its <c>dataSource</c> names; null when it failed.</param>
/// <param name="RestoreBytes">The smallest volume the snapshot restores into, when known.</param>
/// <param name="RestoreSize">The same as a quantity.</param>
/// <param name="Description">For the claim's item: where its data comes from.</param>
/// <param name="Failure">Why the claim is not created; null when it is.</param>
internal sealed record ClaimSource(string? SnapshotName, long? RestoreBytes, string? RestoreSize, string Description, string? Failure)
{
    public static ClaimSource Failed(string why) => new(null, null, null, why, why);
}

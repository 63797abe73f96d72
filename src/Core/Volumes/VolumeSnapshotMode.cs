namespace Strata.Core.Volumes;

/// <summary>What a policy's <c>volumes:</c> does with the claims in its scope.</summary>
public enum VolumeSnapshotMode
{
    /// <summary>No snapshots (the default): only the claims of databases with a <c>consistency</c> are snapshotted.</summary>
    Skip,

    /// <summary>A CSI VolumeSnapshot of every selected claim in scope, each backup.</summary>
    Snapshot,
}

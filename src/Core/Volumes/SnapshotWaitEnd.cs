namespace Strata.Core.Volumes;

/// <summary>Why a wait for a VolumeSnapshot ended.</summary>
internal enum SnapshotWaitEnd
{
    /// <summary>The snapshot reached what was waited for.</summary>
    Reached,

    /// <summary>The deadline passed first.</summary>
    TimedOut,

    /// <summary>It is gone: deleted while Strata waited.</summary>
    Gone,

    /// <summary>The backup's snapshots could not be read (not a passing failure).</summary>
    Unreadable,
}

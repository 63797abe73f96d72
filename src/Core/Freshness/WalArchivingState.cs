namespace Strata.Core.Freshness;

/// <summary>Where a WAL archiver stands (<see cref="WalArchiving.Judge"/>).</summary>
public enum WalArchivingState
{
    /// <summary>Archiving works and is within the recovery-point objective.</summary>
    Healthy,

    /// <summary>Archiving fails: the last attempt failed after the last success, the Cluster's condition is False, or <c>archive_mode</c> is off.</summary>
    Failing,

    /// <summary>Archiving has not failed, but its last success is older than the recovery-point objective.</summary>
    Stale,

    /// <summary>Nothing to judge on yet: no condition reported, nothing archived since the statistics began.</summary>
    Unknown,
}

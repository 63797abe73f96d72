namespace Strata.Core.Runs;

/// <summary>How a backup run stands.</summary>
public enum BackupStatus
{
    /// <summary>Started and not finished (or the process died: no manifest was written).</summary>
    InProgress,

    /// <summary>Everything in scope was captured.</summary>
    Succeeded,

    /// <summary>Committed, but some items are missing; the problems say which.</summary>
    PartiallyFailed,

    /// <summary>Nothing usable was committed.</summary>
    Failed,

    /// <summary>Not run: another backup of the same policy and cluster held the lease.</summary>
    Skipped,
}

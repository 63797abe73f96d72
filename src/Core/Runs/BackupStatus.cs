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

    /// <summary>Succeeded, and verification read every artifact back from the store and found it sound: a good backup.</summary>
    Verified,

    /// <summary>Committed, but verification found an artifact missing, damaged or disagreeing with the manifest: not usable.</summary>
    VerificationFailed,

    /// <summary>Its process died mid-run: the run's lease expired without a manifest being written.</summary>
    Interrupted,
}

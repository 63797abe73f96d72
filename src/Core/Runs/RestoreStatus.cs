namespace Strata.Core.Runs;

/// <summary>How a restore run stands.</summary>
public enum RestoreStatus
{
    /// <summary>Started and not finished.</summary>
    InProgress,

    /// <summary>Every object in scope was created, updated or deliberately skipped.</summary>
    Succeeded,

    /// <summary>Some objects failed or could not be restored into the target; the items say which.</summary>
    PartiallyFailed,

    /// <summary>Refused before anything was applied (a tampered or incomplete backup), or nothing could be restored.</summary>
    Failed,
}

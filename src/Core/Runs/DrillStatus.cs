namespace Strata.Core.Runs;

/// <summary>How a restore drill stands.</summary>
public enum DrillStatus
{
    /// <summary>Started and not finished (or its worker died).</summary>
    InProgress,

    /// <summary>Every object was accepted and every assertion passed within the timeout.</summary>
    Passed,

    /// <summary>An object was refused, an assertion failed or timed out, or the drill could not run.</summary>
    Failed,

    /// <summary>Not run: another drill of the same policy and cluster held the lease. Says nothing about the backup.</summary>
    Skipped,
}

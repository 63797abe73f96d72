using Strata.Core.Runs;

namespace Strata.Cli;

/// <summary>Exit codes: 0 succeeded, 1 partially failed (the problems are listed), 2 failed or bad input.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int PartiallyFailed = 1;
    public const int Failed = 2;

    /// <summary><c>strata alert test</c>: the channel's service answered, and refused (or never answered).</summary>
    public const int Refused = 1;

    /// <summary>The exit code of a backup that ended <paramref name="status"/>.</summary>
    public static int For(BackupStatus status) => status switch
    {
        BackupStatus.Succeeded or BackupStatus.Verified => Succeeded,
        BackupStatus.PartiallyFailed => PartiallyFailed,
        _ => Failed,
    };

    /// <summary>
    /// The exit code of a drill: 0 passed within its RTO objective, 1 failed or slower than the objective (the drill
    /// ran; what it proved falls short). Bad input, and drills that could not start, exit 2 before there is a record.
    /// </summary>
    public static int For(DrillRecord drill) => drill.Status == DrillStatus.Passed && !drill.ExceededObjective ? Succeeded : PartiallyFailed;

    /// <summary>The exit code of a restore that ended <paramref name="status"/>.</summary>
    public static int For(RestoreStatus status) => status switch
    {
        RestoreStatus.Succeeded => Succeeded,
        RestoreStatus.PartiallyFailed => PartiallyFailed,
        _ => Failed,
    };
}

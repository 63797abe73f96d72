namespace Strata.Core.Retention;

/// <summary>
/// How many backups a policy keeps, grandfather-father-son: the newest <see cref="KeepLast"/>, the
/// newest of each of the last <see cref="KeepDaily"/> days (weeks, months) that have one, nothing
/// older than <see cref="MaxAge"/> — and never fewer than the newest <see cref="MinVerifiedKept"/>
/// good backups, whatever else says.
/// </summary>
public sealed record RetentionRules
{
    /// <summary>Newest good backups kept. Default 7.</summary>
    public int KeepLast { get; init; } = 7;

    /// <summary>Days (in the policy's time zone) whose newest good backup is kept.</summary>
    public int KeepDaily { get; init; }

    /// <summary>ISO weeks whose newest good backup is kept.</summary>
    public int KeepWeekly { get; init; }

    /// <summary>Months whose newest good backup is kept.</summary>
    public int KeepMonthly { get; init; }

    /// <summary>Nothing older is kept (apart from <see cref="MinVerifiedKept"/>); null for no limit.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>The newest good backups that are never expired. Default 3; at least 1.</summary>
    public int MinVerifiedKept { get; init; } = 3;
}

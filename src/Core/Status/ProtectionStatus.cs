using Strata.Core.Freshness;

namespace Strata.Core.Status;

/// <summary>One (cluster, policy) row of the status page.</summary>
public sealed record ProtectionStatus
{
    /// <summary>The cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>The policy.</summary>
    public required string Policy { get; init; }

    /// <summary>The policy's schedule (cron) and time zone.</summary>
    public required string Schedule { get; init; }

    /// <summary>The schedule's time zone.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The next scheduled backup.</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>The latest run, whatever its outcome (an interrupted one shown so).</summary>
    public RunReference? LastBackup { get; init; }

    /// <summary>The latest verified backup, <see cref="RunReference.At"/> being its recovery point.</summary>
    public RunReference? LastVerified { get; init; }

    /// <summary>The recovery-point objective, as written (<c>26h</c>), if the policy sets one.</summary>
    public string? Rpo { get; init; }

    /// <summary>Where the pair stands against it.</summary>
    public required RecoveryPointState RpoState { get; init; }

    /// <summary>The age of the last verified backup, as a duration (<c>3h12m</c>).</summary>
    public string? RpoAge { get; init; }

    /// <summary>The latest restore drill of the pair's backups, with its RTO.</summary>
    public DrillReference? LastDrill { get; init; }

    /// <summary>Open incidents about this pair.</summary>
    public int OpenAlerts { get; init; }
}

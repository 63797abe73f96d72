namespace Strata.Core.Status;

/// <summary>One (cluster, policy) cell of the status page: the status row, its recoverability and why, and its recent history.</summary>
public sealed record ProtectionHistory
{
    /// <summary>The status report's row of the pair.</summary>
    public required ProtectionStatus Status { get; init; }

    /// <summary>How recoverable the pair is (<see cref="RecoverabilityRules"/>), with the rule's reason.</summary>
    public required RecoverabilityRule Recoverability { get; init; }

    /// <summary>The layers the last verified backup holds (<see cref="BackupLayers.Held"/>); empty without one.</summary>
    public IReadOnlyList<string> VerifiedLayers { get; init; } = [];

    /// <summary>The policy's RTO objective in seconds, when it sets one (the chart's objective line).</summary>
    public double? RtoObjectiveSeconds { get; init; }

    /// <summary>The latest drills that measured an RTO, oldest first (at most <see cref="DashboardLimits.MaxDrills"/>).</summary>
    public IReadOnlyList<DrillPoint> Drills { get; init; } = [];

    /// <summary>The latest committed backups, oldest first (at most <see cref="DashboardLimits.MaxBackups"/>).</summary>
    public IReadOnlyList<BackupPoint> Backups { get; init; } = [];

    /// <summary>The cluster.</summary>
    public string Cluster => Status.Cluster;

    /// <summary>The policy.</summary>
    public string Policy => Status.Policy;
}

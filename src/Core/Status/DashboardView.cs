namespace Strata.Core.Status;

/// <summary>
/// Everything the status page shows: the status report (<see cref="FleetStatus"/>, filtered to one cluster when asked),
/// the grid's clusters and policies in configuration order, and per covered pair its recoverability and recent history.
/// </summary>
public sealed record DashboardView
{
    /// <summary>The status report, filtered to <see cref="Cluster"/> when set.</summary>
    public required FleetStatus Status { get; init; }

    /// <summary>The one cluster asked for, or null for the fleet.</summary>
    public string? Cluster { get; init; }

    /// <summary>The grid's rows: configured clusters (only <see cref="Cluster"/> when set).</summary>
    public required IReadOnlyList<string> Clusters { get; init; }

    /// <summary>The grid's columns: configured policies.</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>One entry per pair a policy covers, in the status report's order.</summary>
    public required IReadOnlyList<ProtectionHistory> Pairs { get; init; }

    /// <summary>How much history each pair shows.</summary>
    public DashboardLimits Limits { get; init; } = DashboardLimits.Default;

    /// <summary>The pair of <paramref name="cluster"/> and <paramref name="policy"/>; null when the policy does not cover the cluster.</summary>
    public ProtectionHistory? Find(string cluster, string policy) =>
        Pairs.FirstOrDefault(p => p.Cluster == cluster && p.Policy == policy);
}

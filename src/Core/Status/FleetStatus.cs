using Strata.Core.Ports;

namespace Strata.Core.Status;

/// <summary>
/// Recoverability at a glance: one row per (cluster, policy), the open alerts, and the messages the
/// control plane had to reject. <c>strata status</c> prints it; the <c>status</c> HTTP function returns it.
/// </summary>
public sealed record FleetStatus
{
    /// <summary>When it was built.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Where strata.yaml was read.</summary>
    public required string Configuration { get; init; }

    /// <summary>One row per (cluster, policy), in configuration order.</summary>
    public required IReadOnlyList<ProtectionStatus> Protection { get; init; }

    /// <summary>Incidents, open and resolved, most recently raised first (at most 50).</summary>
    public required IReadOnlyList<AlertRecord> Alerts { get; init; }

    /// <summary>Every configured alert channel with its delivery health.</summary>
    public IReadOnlyList<ChannelStatus> AlertChannels { get; init; } = [];

    /// <summary>Messages rejected so far.</summary>
    public int RejectedMessages { get; init; }

    /// <summary>The latest coverage survey of each configured cluster that has one (what nothing protects), in configuration order.</summary>
    public IReadOnlyList<Coverage.CoverageReport> Coverage { get; init; } = [];
}

using Strata.Core.Messages;

namespace Strata.Core.Configuration;

/// <summary>
/// Which alerts go to which channels (<c>alerts.routes[]</c>). An alert follows every route it matches (not
/// only the first), so a critical alert can go to PagerDuty and to Slack from two routes. An empty list of
/// clusters or policies matches any, including alerts about no cluster or policy (a rejected message).
/// </summary>
public sealed record AlertRouteDefinition
{
    /// <summary>The least severity the route takes; default <see cref="AlertSeverity.Info"/> (everything).</summary>
    public AlertSeverity MinimumSeverity { get; init; } = AlertSeverity.Info;

    /// <summary>Clusters by name, glob or tag, as policies select them; empty for any.</summary>
    public IReadOnlyList<ClusterSelector> Clusters { get; init; } = [];

    /// <summary>Policies by name or glob; empty for any.</summary>
    public IReadOnlyList<NamePattern> Policies { get; init; } = [];

    /// <summary>The channels, by name.</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>Tell the channels again when the incident is raised again this long after they were last told; null never.</summary>
    public TimeSpan? Renotify { get; init; }

    /// <summary>The line in the file where the route is defined (0 for the default route).</summary>
    public int Line { get; init; }
}

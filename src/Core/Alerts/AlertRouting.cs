using Strata.Core.Configuration;
using Strata.Core.Messages;

namespace Strata.Core.Alerts;

/// <summary>
/// Which channels an alert goes to: the union of the channels of every route it matches (<see cref="AlertsDefinition.EffectiveRoutes"/>),
/// each with the shortest re-notification interval among them. A route matches when the alert is at least its
/// severity, its cluster is selected (names, globs, tags — as policies select clusters) and its policy matches;
/// a route that names clusters or policies does not match an alert that has none.
/// </summary>
public static class AlertRouting
{
    /// <summary>The channels for an alert of <paramref name="severity"/> about <paramref name="cluster"/> and <paramref name="policy"/>, in configuration order.</summary>
    public static IReadOnlyList<RoutedChannel> ChannelsFor(StrataConfiguration configuration, AlertSeverity severity, string? cluster, string? policy)
    {
        // A cluster no longer in strata.yaml still matches by name (its tags are gone with it).
        var clusterDefinition = cluster is null ? null : configuration.FindCluster(cluster) ?? new ClusterDefinition { Name = cluster };
        var renotify = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        foreach (var route in configuration.Alerts.EffectiveRoutes)
        {
            if (severity < route.MinimumSeverity
                || (route.Clusters.Count > 0 && (clusterDefinition is null || !route.Clusters.Any(s => s.Matches(clusterDefinition))))
                || (route.Policies.Count > 0 && (policy is null || !route.Policies.Any(p => p.Matches(policy)))))
            {
                continue;
            }

            foreach (var channel in route.Channels)
            {
                renotify[channel] = renotify.TryGetValue(channel, out var current) ? Shorter(current, route.Renotify) : route.Renotify;
            }
        }

        return [.. configuration.Alerts.Channels.Where(c => renotify.ContainsKey(c.Name)).Select(c => new RoutedChannel(c, renotify[c.Name]))];
    }

    private static TimeSpan? Shorter(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

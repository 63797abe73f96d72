using Strata.Core.Configuration;

namespace Strata.Core.Alerts;

/// <summary>A channel an alert is routed to, with the shortest re-notification interval of the routes that send it there.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Renotify">Tell it again when the incident is raised this long after it was last told; null never.</param>
public sealed record RoutedChannel(AlertChannelDefinition Channel, TimeSpan? Renotify);

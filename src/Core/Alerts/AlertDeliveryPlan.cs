using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.Alerts;

/// <summary>
/// Deduplication and re-notification, decided per channel from the incident as recorded (so a redelivered
/// message, or a second dispatcher, sends nothing a channel already has):
/// <list type="bullet">
/// <item>a channel not told since the incident (re)opened is told — a channel whose last delivery failed included;</item>
/// <item>one told at a lower severity is told again at once;</item>
/// <item>one told at least its route's <c>renotify</c> interval ago is told again (still open);</item>
/// <item>otherwise the alert is only counted;</item>
/// <item>a resolve goes to every channel told about the incident and not yet told it resolved.</item>
/// </list>
/// </summary>
public static class AlertDeliveryPlan
{
    /// <summary>The plan for an alert just recorded as <paramref name="incident"/> and routed to <paramref name="routed"/>.</summary>
    public static IReadOnlyList<PlannedDelivery> ForRaised(AlertRecord incident, IReadOnlyList<RoutedChannel> routed, DateTimeOffset now)
    {
        if (incident.Status == IncidentStatus.Resolved)
        {
            // A late or replayed alert that did not reopen the incident (see AlertRecord.With): telling anyone would page
            // for something already over, with no resolve to follow.
            return [.. routed.Select(route => new PlannedDelivery(route.Channel, AlertAction.Trigger, false, false, "the incident is resolved"))];
        }

        var told = incident.Notifications.ToDictionary(n => n.Channel, StringComparer.Ordinal);
        return [.. routed.Select(route =>
        {
            if (!told.TryGetValue(route.Channel.Name, out var last))
            {
                return Send(route.Channel, renotify: false, incident.Count == 1 ? "new incident" : "not told yet");
            }

            if (incident.Severity > last.Severity)
            {
                return Send(route.Channel, renotify: false, $"severity rose from {Word(last.Severity)} to {Word(incident.Severity)}");
            }

            var since = now - last.NotifiedAt;
            if (route.Renotify is { } interval && since >= interval)
            {
                return Send(route.Channel, renotify: true, $"still open {DurationText.Format(since)} after it was last told (renotify {DurationText.Format(interval)})");
            }

            return new PlannedDelivery(route.Channel, AlertAction.Trigger, false, false,
                $"deduplicated: told {DurationText.Format(since)} ago" + (route.Renotify is { } r ? $", again after {DurationText.Format(r)}" : ""));
        })];
    }

    /// <summary>The plan for <paramref name="incident"/>, just resolved: the channels it was delivered to (those still configured).</summary>
    public static IReadOnlyList<PlannedDelivery> ForResolved(AlertRecord incident, AlertsDefinition alerts) =>
        [.. incident.Notifications
            .Where(n => n.ResolvedAt is null && alerts.FindChannel(n.Channel) is not null)
            .Select(n => new PlannedDelivery(alerts.FindChannel(n.Channel)!, AlertAction.Resolve, true, false, "resolved"))];

    private static PlannedDelivery Send(AlertChannelDefinition channel, bool renotify, string reason) => new(channel, AlertAction.Trigger, true, renotify, reason);

    private static string Word(Messages.AlertSeverity severity) => severity.ToString().ToLowerInvariant();
}

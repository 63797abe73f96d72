using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Core.Alerts;

/// <summary>
/// What a channel is told: the incident as people need to see it (title, cluster, policy, what failed, the first
/// failed items, a link to the status page) and the message it came from, which the signed webhook sends as is.
/// </summary>
public sealed record AlertNotification
{
    /// <summary>The kind of the alert <see cref="Test"/> builds.</summary>
    public const string TestKind = "test";

    /// <summary>Trigger or resolve.</summary>
    public required AlertAction Action { get; init; }

    /// <summary>The <see cref="AlertRaised"/> or <see cref="AlertResolved"/> envelope this notification is for.</summary>
    public required Envelope Message { get; init; }

    /// <summary>The incident's key (PagerDuty's <c>dedup_key</c>).</summary>
    public required string DedupKey { get; init; }

    /// <summary>The incident's severity.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>What happened, machine-readable (<c>backup-failed</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>One line for people: the alert's summary, or the resolve's.</summary>
    public required string Summary { get; init; }

    /// <summary>The cluster concerned.</summary>
    public string? Cluster { get; init; }

    /// <summary>The policy concerned.</summary>
    public string? Policy { get; init; }

    /// <summary>The run concerned.</summary>
    public string? RunId { get; init; }

    /// <summary>More facts.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>The first items that failed (<see cref="FailedItemList"/>).</summary>
    public IReadOnlyList<string> FailedItems { get; init; } = [];

    /// <summary>How many more items failed.</summary>
    public int MoreFailedItems { get; init; }

    /// <summary>When the notification was made.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>When the incident (last) opened.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>How many alerts the incident has had.</summary>
    public int Occurrences { get; init; } = 1;

    /// <summary>A reminder of an incident the channel already knows.</summary>
    public bool Renotify { get; init; }

    /// <summary>A test (<c>strata alert test</c>), not an incident.</summary>
    public bool Test { get; init; }

    /// <summary>The status page to link to.</summary>
    public Uri? StatusPage { get; init; }

    /// <summary>For an alert just recorded as <paramref name="incident"/>.</summary>
    public static AlertNotification Raised(Envelope message, AlertRecord incident, bool renotify, Uri? statusPage, DateTimeOffset at)
    {
        var alert = (AlertRaised)message.Payload;
        return new AlertNotification
        {
            Action = AlertAction.Trigger,
            Message = message,
            DedupKey = alert.DedupKey,
            Severity = alert.Severity,
            Kind = alert.Kind,
            Summary = alert.Summary,
            Cluster = alert.Cluster,
            Policy = alert.Policy,
            RunId = alert.RunId,
            Details = alert.Details ?? new Dictionary<string, string>(),
            FailedItems = alert.FailedItems ?? [],
            MoreFailedItems = alert.MoreFailedItems ?? 0,
            At = at,
            OpenedAt = incident.OpenedAt ?? incident.FirstRaisedAt,
            Occurrences = incident.Count,
            Renotify = renotify,
            Test = alert.Kind == TestKind,
            StatusPage = statusPage,
        };
    }

    /// <summary>For <paramref name="incident"/>, just resolved by <paramref name="message"/>.</summary>
    public static AlertNotification Resolved(Envelope message, AlertRecord incident, Uri? statusPage, DateTimeOffset at)
    {
        var resolved = (AlertResolved)message.Payload;
        return new AlertNotification
        {
            Action = AlertAction.Resolve,
            Message = message,
            DedupKey = incident.DedupKey,
            Severity = incident.Severity,
            Kind = incident.Kind,
            Summary = resolved.Summary,
            Cluster = resolved.Cluster ?? incident.Cluster,
            Policy = resolved.Policy ?? incident.Policy,
            RunId = resolved.RunId ?? incident.RunId,
            At = at,
            OpenedAt = incident.OpenedAt ?? incident.FirstRaisedAt,
            Occurrences = incident.Count,
            Test = incident.Kind == TestKind,
            StatusPage = statusPage,
        };
    }

    /// <summary>
    /// A test of <paramref name="channel"/> (<c>strata alert test</c>): an info alert of kind <c>test</c>, with a dedup
    /// key of its own so that it never touches a real incident; <see cref="AlertAction.Resolve"/> closes it again.
    /// </summary>
    /// <param name="channel">The channel's name.</param>
    /// <param name="id">The test's message id (the caller makes it unique).</param>
    /// <param name="action">Trigger, or the resolve that follows it.</param>
    /// <param name="statusPage">The status page, to check the link.</param>
    /// <param name="at">Now.</param>
    public static AlertNotification ForTest(string channel, string id, AlertAction action, Uri? statusPage, DateTimeOffset at)
    {
        var dedupKey = $"{TestKind}/{channel}/{id}";
        var raised = new Envelope(id, id, at, new AlertRaised(AlertSeverity.Info, TestKind,
            $"Test alert from Strata to channel {channel}: if you can read this, alerts reach you here", dedupKey,
            Details: new Dictionary<string, string> { ["channel"] = channel }));
        var incident = AlertRecord.First(raised, at);
        return action == AlertAction.Trigger
            ? Raised(raised, incident, renotify: false, statusPage, at)
            : Resolved(raised.FollowedBy($"{id}-resolved", at, new AlertResolved(dedupKey, $"Test alert to channel {channel} resolved")), incident, statusPage, at);
    }
}

using Strata.Core.Alerts;
using Strata.Core.Messages;

namespace Strata.Core.Ports;

/// <summary>
/// One incident: every alert with the same dedup key, open until an <see cref="AlertResolved"/> closes it (the
/// next alert opens it again), and which channels have been told. The transitions are here, so that every
/// <see cref="IControlState"/> applies them the same way.
/// </summary>
public sealed record AlertRecord
{
    /// <summary>The incident's key.</summary>
    public required string DedupKey { get; init; }

    /// <summary>The latest alert's severity.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>What happened (<c>backup-failed</c>, …).</summary>
    public required string Kind { get; init; }

    /// <summary>The latest alert's summary.</summary>
    public required string Summary { get; init; }

    /// <summary>The cluster concerned.</summary>
    public string? Cluster { get; init; }

    /// <summary>The policy concerned.</summary>
    public string? Policy { get; init; }

    /// <summary>The latest run concerned.</summary>
    public string? RunId { get; init; }

    /// <summary>When the first alert arrived.</summary>
    public required DateTimeOffset FirstRaisedAt { get; init; }

    /// <summary>When the latest arrived.</summary>
    public required DateTimeOffset LastRaisedAt { get; init; }

    /// <summary>How many distinct alerts (by message id).</summary>
    public int Count { get; init; } = 1;

    /// <summary>The latest alert's message id.</summary>
    public required string LastMessageId { get; init; }

    /// <summary>Open or resolved (records written before incidents resolved read as open).</summary>
    public IncidentStatus Status { get; init; } = IncidentStatus.Open;

    /// <summary>When the incident last opened (first raised, or raised again after it resolved); null in older records.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>When it resolved, while it is resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What the resolve said, while it is resolved.</summary>
    public string? ResolvedSummary { get; init; }

    /// <summary>The channels told about the incident since it last opened, one entry per channel.</summary>
    public IReadOnlyList<ChannelNotification> Notifications { get; init; } = [];

    /// <summary>The record for the first alert of an incident.</summary>
    public static AlertRecord First(Envelope alert, DateTimeOffset receivedAt)
    {
        var payload = (AlertRaised)alert.Payload;
        return new AlertRecord
        {
            DedupKey = payload.DedupKey,
            Severity = payload.Severity,
            Kind = payload.Kind,
            Summary = payload.Summary,
            Cluster = payload.Cluster,
            Policy = payload.Policy,
            RunId = payload.RunId,
            FirstRaisedAt = receivedAt,
            LastRaisedAt = receivedAt,
            LastMessageId = alert.Id,
            OpenedAt = receivedAt,
        };
    }

    /// <summary>
    /// This incident with one more alert: unchanged when it is the same message again, or an alert made before the
    /// incident resolved (a late redelivery); opened again, with no channel told yet, by a newer alert once it had resolved.
    /// </summary>
    public AlertRecord With(Envelope alert, DateTimeOffset receivedAt)
    {
        if (alert.Id == LastMessageId || (Status == IncidentStatus.Resolved && alert.CreatedAt < ResolvedAt))
        {
            return this;
        }

        var next = First(alert, receivedAt) with { FirstRaisedAt = FirstRaisedAt, Count = Count + 1 };
        return Status == IncidentStatus.Resolved ? next : next with { OpenedAt = OpenedAt ?? FirstRaisedAt, Notifications = Notifications };
    }

    /// <summary>This incident resolved by <paramref name="resolved"/> (an <see cref="AlertResolved"/>); unchanged when it already is.</summary>
    public AlertRecord Resolve(Envelope resolved, DateTimeOffset receivedAt) => Status == IncidentStatus.Resolved
        ? this
        : this with { Status = IncidentStatus.Resolved, ResolvedAt = receivedAt, ResolvedSummary = ((AlertResolved)resolved.Payload).Summary };

    /// <summary>This incident with <paramref name="notifications"/> recorded (each replaces the entry of its channel).</summary>
    public AlertRecord Notified(IEnumerable<ChannelNotification> notifications)
    {
        var byChannel = Notifications.ToDictionary(n => n.Channel, StringComparer.Ordinal);
        foreach (var notification in notifications)
        {
            byChannel[notification.Channel] = notification;
        }

        return this with { Notifications = [.. byChannel.Values.OrderBy(n => n.Channel, StringComparer.Ordinal)] };
    }
}

using Strata.Core.Messages;

namespace Strata.Core.Ports;

/// <summary>One incident: every alert with the same dedup key.</summary>
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
        };
    }

    /// <summary>This incident with one more alert (unchanged when it is the same message again).</summary>
    public AlertRecord With(Envelope alert, DateTimeOffset receivedAt)
    {
        if (alert.Id == LastMessageId)
        {
            return this;
        }

        var next = First(alert, receivedAt);
        return next with { FirstRaisedAt = FirstRaisedAt, Count = Count + 1 };
    }
}

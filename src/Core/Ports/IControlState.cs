using Strata.Core.Messages;

namespace Strata.Core.Ports;

/// <summary>
/// What the control plane remembers between invocations, beside the run records: leases (one
/// backup per policy and cluster at a time), schedule marks (the last occurrence each policy
/// fired), rejected messages, and alerts. Lives with the run history.
/// </summary>
public interface IControlState
{
    /// <summary>
    /// Takes the lease <paramref name="key"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>, unless another holder has it and it has not expired. Atomic across callers.
    /// </summary>
    Task<LeaseResult> TryAcquireLeaseAsync(string key, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up, if <paramref name="holder"/> still has it.</summary>
    Task ReleaseLeaseAsync(string key, string holder, CancellationToken cancellationToken = default);

    /// <summary>The last occurrence fired, per policy.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetScheduleMarksAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the occurrences just fired (others are left as they are).</summary>
    Task SaveScheduleMarksAsync(IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken = default);

    /// <summary>Records a message that was rejected; false when one with the same key was already recorded.</summary>
    Task<bool> RecordRejectedAsync(RejectedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Rejected messages, newest first.</summary>
    IAsyncEnumerable<RejectedMessage> ListRejectedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an alert: a new incident for a new dedup key, else one more occurrence of it
    /// (the same message id twice counts once).
    /// </summary>
    Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>Alerts, most recently raised first.</summary>
    IAsyncEnumerable<AlertRecord> ListAlertsAsync(CancellationToken cancellationToken = default);
}

/// <summary>The answer to a lease request.</summary>
/// <param name="Acquired">True when the caller holds the lease now (newly, or it already held it).</param>
/// <param name="Holder">Who holds it.</param>
/// <param name="ExpiresAt">Until when.</param>
/// <param name="Renewed">True when the caller already held it (another invocation of the same work).</param>
/// <param name="TakenOverFrom">The holder whose expired lease was taken over, if any.</param>
public sealed record LeaseResult(bool Acquired, string Holder, DateTimeOffset ExpiresAt, bool Renewed = false, string? TakenOverFrom = null);

/// <summary>A message that could not be used, kept whole so that nothing is lost.</summary>
/// <param name="Key">Unique per delivery of the message: its message id, or a hash of its body.</param>
/// <param name="Queue">Where it arrived.</param>
/// <param name="MessageId">The Service Bus message id, if known.</param>
/// <param name="EnvelopeId">The envelope's id, when it could be read.</param>
/// <param name="Type">The envelope's type, when it could be read.</param>
/// <param name="Reason">Why it was rejected, naming the field.</param>
/// <param name="ReceivedAt">When.</param>
/// <param name="DeliveryCount">Which delivery it was.</param>
/// <param name="Body">The body as received (up to 64 KiB).</param>
public sealed record RejectedMessage(
    string Key, string Queue, string? MessageId, string? EnvelopeId, string? Type, string Reason, DateTimeOffset ReceivedAt, int DeliveryCount, string Body);

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

using Strata.Core.Messages;

namespace Strata.Core.Ports;

/// <summary>
/// What the control plane remembers between invocations, beside the run records: leases (one
/// backup per policy and cluster at a time), schedule marks (the last occurrence each policy
/// fired), rejected messages, alert incidents (open or resolved, and which channels were told), each
/// alert channel's delivery health, and the latest coverage survey of each cluster. Lives with the run history.
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

    /// <summary>The incident with key <paramref name="dedupKey"/>, open or resolved; null when there is none.</summary>
    Task<AlertRecord?> FindAlertAsync(string dedupKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves the incident that <paramref name="resolved"/> (an <see cref="AlertResolved"/>) names
    /// (<see cref="AlertRecord.Resolve"/>); null when there is no such incident. An incident already resolved comes back unchanged.
    /// </summary>
    Task<AlertRecord?> ResolveAlertAsync(Envelope resolved, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that channels were told about the incident <paramref name="dedupKey"/> (<see cref="AlertRecord.Notified"/>);
    /// null when there is no such incident.
    /// </summary>
    Task<AlertRecord?> RecordNotificationsAsync(string dedupKey, IReadOnlyList<ChannelNotification> notifications, CancellationToken cancellationToken = default);

    /// <summary>Records one delivery to a channel at <paramref name="at"/>: <paramref name="failure"/> says why it failed, null when it succeeded (<see cref="ChannelHealth.After"/>).</summary>
    Task<ChannelHealth> RecordDeliveryAsync(string channel, DateTimeOffset at, string? failure, CancellationToken cancellationToken = default);

    /// <summary>The delivery health of every channel that has had a delivery, by name.</summary>
    IAsyncEnumerable<ChannelHealth> ListChannelHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="report"/> as the latest coverage survey of its cluster, replacing the one before.</summary>
    Task SaveCoverageAsync(Coverage.CoverageReport report, CancellationToken cancellationToken = default);

    /// <summary>The latest coverage survey of every cluster that has one, by cluster name.</summary>
    IAsyncEnumerable<Coverage.CoverageReport> ListCoverageAsync(CancellationToken cancellationToken = default);
}

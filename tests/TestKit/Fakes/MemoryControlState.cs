using System.Runtime.CompilerServices;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>An in-memory <see cref="IControlState"/> with the port's semantics (the same contract tests as the real ones).</summary>
public sealed class MemoryControlState : IControlState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Holder, DateTimeOffset ExpiresAt)> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _marks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RejectedMessage> _rejected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertRecord> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelHealth> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CoverageReport> _coverage = new(StringComparer.Ordinal);

    /// <summary>Leases now held, by key.</summary>
    public IReadOnlyDictionary<string, (string Holder, DateTimeOffset ExpiresAt)> Leases
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, (string, DateTimeOffset)>(_leases);
            }
        }
    }

    public Task<LeaseResult> TryAcquireLeaseAsync(string key, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var held = _leases.TryGetValue(key, out var current);
            if (held && current.ExpiresAt > now && current.Holder != holder)
            {
                return Task.FromResult(new LeaseResult(false, current.Holder, current.ExpiresAt));
            }

            var renewed = held && current.ExpiresAt > now;
            _leases[key] = (holder, now + duration);
            return Task.FromResult(new LeaseResult(true, holder, now + duration, renewed, held && !renewed ? current.Holder : null));
        }
    }

    public Task ReleaseLeaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var current) && current.Holder == holder)
            {
                _leases.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetScheduleMarksAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(_marks));
        }
    }

    public Task SaveScheduleMarksAsync(IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var (policy, mark) in marks)
            {
                _marks[policy] = _marks.TryGetValue(policy, out var existing) && existing > mark ? existing : mark;
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> RecordRejectedAsync(RejectedMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_rejected.TryAdd(message.Key, message));
        }
    }

    public IAsyncEnumerable<RejectedMessage> ListRejectedAsync(CancellationToken cancellationToken = default) =>
        NewestFirst(_rejected.Values, m => m.ReceivedAt);

    public async Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        (await UpdateAlertAsync(((AlertRaised)alert.Payload).DedupKey, existing => existing?.With(alert, receivedAt) ?? AlertRecord.First(alert, receivedAt)))!;

    public IAsyncEnumerable<AlertRecord> ListAlertsAsync(CancellationToken cancellationToken = default) =>
        NewestFirst(_alerts.Values, a => a.LastRaisedAt);

    public Task<AlertRecord?> FindAlertAsync(string dedupKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_alerts.GetValueOrDefault(dedupKey));
        }
    }

    public Task<AlertRecord?> ResolveAlertAsync(Envelope resolved, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(((AlertResolved)resolved.Payload).DedupKey, existing => existing?.Resolve(resolved, receivedAt));

    public Task<AlertRecord?> RecordNotificationsAsync(string dedupKey, IReadOnlyList<ChannelNotification> notifications, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(dedupKey, existing => existing?.Notified(notifications));

    public Task<ChannelHealth> RecordDeliveryAsync(string channel, DateTimeOffset at, string? failure, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var health = ChannelHealth.After(_channels.GetValueOrDefault(channel), channel, at, failure);
            _channels[channel] = health;
            return Task.FromResult(health);
        }
    }

    public async IAsyncEnumerable<ChannelHealth> ListChannelHealthAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        List<ChannelHealth> snapshot;
        lock (_gate)
        {
            snapshot = [.. _channels.Values.OrderBy(h => h.Channel, StringComparer.Ordinal)];
        }

        foreach (var health in snapshot)
        {
            yield return health;
        }
    }

    private Task<AlertRecord?> UpdateAlertAsync(string dedupKey, Func<AlertRecord?, AlertRecord?> change)
    {
        lock (_gate)
        {
            var record = change(_alerts.GetValueOrDefault(dedupKey));
            if (record is not null)
            {
                _alerts[dedupKey] = record;
            }

            return Task.FromResult(record);
        }
    }

    /// <summary>Set to make <see cref="SaveCoverageAsync"/> fail for some reports (a store that is away): what it throws, or null to save.</summary>
    public Func<CoverageReport, Exception?> CoverageSaveFailure { get; set; } = _ => null;

    public Task SaveCoverageAsync(CoverageReport report, CancellationToken cancellationToken = default)
    {
        if (CoverageSaveFailure(report) is { } failure)
        {
            return Task.FromException(failure);
        }

        lock (_gate)
        {
            _coverage[report.Cluster] = report;
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<CoverageReport> ListCoverageAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        List<CoverageReport> snapshot;
        lock (_gate)
        {
            snapshot = [.. _coverage.Values.OrderBy(r => r.Cluster, StringComparer.Ordinal)];
        }

        foreach (var report in snapshot)
        {
            yield return report;
        }
    }

    /// <summary>A snapshot taken under the lock, newest first, handed out asynchronously as the real stores do.</summary>
    private async IAsyncEnumerable<T> NewestFirst<T>(IEnumerable<T> values, Func<T, DateTimeOffset> time)
    {
        await Task.Yield();
        List<T> snapshot;
        lock (_gate)
        {
            snapshot = [.. values.OrderByDescending(time)];
        }

        foreach (var value in snapshot)
        {
            yield return value;
        }
    }
}

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

    public Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var key = ((AlertRaised)alert.Payload).DedupKey;
        lock (_gate)
        {
            var record = _alerts.TryGetValue(key, out var existing) ? existing.With(alert, receivedAt) : AlertRecord.First(alert, receivedAt);
            _alerts[key] = record;
            return Task.FromResult(record);
        }
    }

    public IAsyncEnumerable<AlertRecord> ListAlertsAsync(CancellationToken cancellationToken = default) =>
        NewestFirst(_alerts.Values, a => a.LastRaisedAt);

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

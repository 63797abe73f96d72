using System.Collections.Concurrent;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// Waits for many VolumeSnapshots at the cost of a few: every poll interval, one LIST per namespace of the backup's
/// snapshots (by its backup-id label) answers every waiter in that namespace — so 50 claims waiting cost one request
/// per interval, not 50. Each waiter ends when its condition holds, at its deadline (on the layer's clock — also while
/// the API cannot be read), or when its snapshot is gone. <see cref="RunAsync"/> polls while anyone waits, never more
/// often than every poll interval, and sleeps while no one does.
/// </summary>
internal sealed class SnapshotWatch(IClusterReader client, string backupId, TimeProvider time, TimeSpan pollInterval)
{
    private readonly ConcurrentDictionary<Waiter, byte> _waiters = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private long _lists;

    /// <summary>How many LISTs the watch has made (for tests and benchmarks).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Waits until <paramref name="until"/> holds for the snapshot, checking <paramref name="latest"/> first.</summary>
    public Task<SnapshotObservation> WaitAsync(string ns, string name, KubeObject? latest, Func<KubeObject, bool> until, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (latest is not null && until(latest))
        {
            return Task.FromResult(new SnapshotObservation(latest, SnapshotWaitEnd.Reached));
        }

        if (time.GetUtcNow() >= deadline)
        {
            return Task.FromResult(new SnapshotObservation(latest, SnapshotWaitEnd.TimedOut));
        }

        var waiter = new Waiter(ns, name, until, deadline) { Latest = latest };
        _waiters[waiter] = 0;
        var registration = cancellationToken.Register(() => waiter.End(null, SnapshotWaitEnd.TimedOut, cancelled: true, _waiters));
        _ = waiter.Completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        _arrived.Release();
        return waiter.Completion.Task;
    }

    /// <summary>
    /// Polls until cancelled; returns quietly then. Polls are at least <c>pollInterval</c> apart, whatever happens; a
    /// waiter whose deadline comes before the next poll is ended at its deadline without one (its taker reads it once
    /// more), and so is one whose namespace could not be listed — an API outage does not keep a waiter past its deadline.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lastPoll = time.GetUtcNow();
            while (true)
            {
                if (_waiters.IsEmpty)
                {
                    await _arrived.WaitAsync(cancellationToken);
                    lastPoll = time.GetUtcNow(); // each waiter looked at its snapshot as it arrived
                    continue;
                }

                var now = time.GetUtcNow();
                EndExpired(_waiters.Keys, now);
                if (_waiters.IsEmpty)
                {
                    continue;
                }

                var untilDeadline = _waiters.Keys.Select(w => w.Deadline).DefaultIfEmpty(DateTimeOffset.MaxValue).Min() - now; // a waiter may end meanwhile
                var untilPoll = lastPoll + pollInterval - now;
                if (untilDeadline < untilPoll)
                {
                    await Task.Delay(untilDeadline, time, cancellationToken); // then ended above, without a LIST
                    continue;
                }

                if (untilPoll > TimeSpan.Zero)
                {
                    await Task.Delay(untilPoll, time, cancellationToken);
                }

                lastPoll = time.GetUtcNow();
                await PollAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        foreach (var inNamespace in _waiters.Keys.GroupBy(w => w.Namespace, StringComparer.Ordinal))
        {
            var seen = new Dictionary<string, KubeObject>(StringComparer.Ordinal);
            string? problem = null;
            try
            {
                Interlocked.Increment(ref _lists);
                await foreach (var snapshot in client.ListAsync(VolumeSnapshotApi.VolumeSnapshots, new ListRequest(inNamespace.Key, $"{StrataLabels.BackupId}={backupId}"), cancellationToken))
                {
                    seen[snapshot.Name] = snapshot;
                }
            }
            catch (ClusterRequestException e) when (e.IsTransient)
            {
                // The next poll may read them; the deadlines still hold.
                EndExpired(inNamespace, time.GetUtcNow());
                continue;
            }
            catch (ClusterRequestException e)
            {
                problem = $"reading the backup's VolumeSnapshots in namespace {inNamespace.Key} failed: {e.Message}";
            }

            var now = time.GetUtcNow();
            foreach (var waiter in inNamespace)
            {
                if (problem is not null)
                {
                    waiter.End(waiter.Latest, SnapshotWaitEnd.Unreadable, cancelled: false, _waiters, problem);
                }
                else if (!seen.TryGetValue(waiter.Name, out var snapshot))
                {
                    waiter.End(waiter.Latest, SnapshotWaitEnd.Gone, cancelled: false, _waiters);
                }
                else if (waiter.Until(snapshot))
                {
                    waiter.End(snapshot, SnapshotWaitEnd.Reached, cancelled: false, _waiters);
                }
                else
                {
                    waiter.Latest = snapshot;
                    if (now >= waiter.Deadline)
                    {
                        waiter.End(snapshot, SnapshotWaitEnd.TimedOut, cancelled: false, _waiters);
                    }
                }
            }
        }
    }

    /// <summary>Ends the waiters among <paramref name="waiters"/> whose deadline has passed, with the snapshot as they last saw it.</summary>
    private void EndExpired(IEnumerable<Waiter> waiters, DateTimeOffset now)
    {
        foreach (var waiter in waiters.Where(w => now >= w.Deadline).ToList())
        {
            waiter.End(waiter.Latest, SnapshotWaitEnd.TimedOut, cancelled: false, _waiters);
        }
    }

    private sealed class Waiter(string ns, string name, Func<KubeObject, bool> until, DateTimeOffset deadline)
    {
        public string Namespace { get; } = ns;

        public string Name { get; } = name;

        public Func<KubeObject, bool> Until { get; } = until;

        public DateTimeOffset Deadline { get; } = deadline;

        public KubeObject? Latest { get; set; }

        public TaskCompletionSource<SnapshotObservation> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void End(KubeObject? latest, SnapshotWaitEnd end, bool cancelled, ConcurrentDictionary<Waiter, byte> waiters, string? problem = null)
        {
            waiters.TryRemove(this, out _);
            if (cancelled)
            {
                Completion.TrySetCanceled();
            }
            else
            {
                Completion.TrySetResult(new SnapshotObservation(latest, end, problem));
            }
        }
    }
}

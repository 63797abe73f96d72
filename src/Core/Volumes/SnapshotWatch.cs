using System.Collections.Concurrent;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// Waits for many VolumeSnapshots at the cost of a few: every poll interval, one LIST per namespace of the backup's
/// snapshots (by its backup-id label) answers every waiter in that namespace — so 50 claims waiting cost one request
/// per interval, not 50. Each waiter ends when its condition holds, at its deadline (on the layer's clock), or when its
/// snapshot is gone. <see cref="RunAsync"/> polls while anyone waits and sleeps while no one does.
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

    /// <summary>Polls until cancelled; returns quietly then.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_waiters.IsEmpty)
                {
                    await _arrived.WaitAsync(cancellationToken);
                    continue;
                }

                var now = time.GetUtcNow();
                var first = _waiters.Keys.Min(w => w.Deadline);
                var delay = first - now < pollInterval ? first - now : pollInterval;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, cancellationToken);
                }

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
                continue; // the next poll may read them; the deadlines still hold
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

using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Backup;

/// <summary>
/// Keeps a running backup's record alive: its <see cref="BackupRecord.LeaseExpiresAt"/> is pushed
/// forward every third of the lease while the process works. A process that dies (a <c>kill -9</c>, a
/// lost node) stops renewing, so the lease runs out and the run can be told apart from one still
/// running — the freshness pass records it as <see cref="BackupStatus.Interrupted"/>. Disposing stops
/// renewing and waits for a renewal in flight, so the final record is never overwritten by a late one.
/// </summary>
internal sealed class RunLease : IAsyncDisposable
{
    private readonly IRunHistory _history;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly BackupRecord _record;
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly ITimer _timer;
    private bool _stopped;

    private RunLease(IRunHistory history, TimeProvider time, TimeSpan duration, BackupRecord record)
    {
        _history = history;
        _time = time;
        _duration = duration;
        _record = record;
        var every = duration / 3;
        _timer = time.CreateTimer(_ => _ = RenewAsync(), null, every, every);
    }

    /// <summary>Saves <paramref name="record"/> holding the lease, and keeps renewing it until disposed.</summary>
    public static async Task<(RunLease Lease, BackupRecord Record)> TakeAsync(
        IRunHistory history, TimeProvider time, TimeSpan duration, BackupRecord record, CancellationToken cancellationToken)
    {
        var held = record with { LeaseExpiresAt = time.GetUtcNow() + duration };
        await history.SaveBackupAsync(held, cancellationToken);
        return (new RunLease(history, time, duration, held), held);
    }

    private async Task RenewAsync()
    {
        await _saving.WaitAsync();
        try
        {
            if (!_stopped)
            {
                await _history.SaveBackupAsync(_record with { LeaseExpiresAt = _time.GetUtcNow() + _duration });
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A renewal that fails (history briefly unreachable) is retried at the next period; the lease
            // is three periods long, so one miss does not make a live run look dead.
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await _saving.WaitAsync();
        _stopped = true;
        _saving.Release();
    }
}

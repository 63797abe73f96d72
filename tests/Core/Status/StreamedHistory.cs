using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Runs;

namespace Strata.Core.Tests.Status;

/// <summary>
/// A run history that makes its backup records as it lists them, newest first over two clusters, and at the end of the
/// listing counts how many of them the reader still holds (after a full collection): a reader that folds as it goes holds
/// a few per pair, one that lists everything first holds them all.
/// </summary>
internal sealed class StreamedHistory(int count, DateTimeOffset newest, Func<string, string, BackupStatus, DateTimeOffset, Problem[], BackupRecord> record) : IRunHistory
{
    private readonly List<WeakReference<BackupRecord>> _listed = [];

    /// <summary>Listed records still reachable when the listing ended.</summary>
    public int HeldAtEnd { get; private set; } = -1;

    public async IAsyncEnumerable<BackupRecord> ListBackupsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        for (var i = 0; i < count; i++)
        {
            yield return Make(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        HeldAtEnd = _listed.Count(r => r.TryGetTarget(out _));
    }

    public async IAsyncEnumerable<DrillRecord> ListDrillsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield break;
    }

    public IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SaveDrillAsync(DrillRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DrillRecord?> FindDrillAsync(string drillId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private BackupRecord Make(int i)
    {
        var status = (i % 3) switch { 0 => BackupStatus.Verified, 1 => BackupStatus.Succeeded, _ => BackupStatus.PartiallyFailed };
        var made = record($"b{count - i:0000}", i % 2 == 0 ? "prod" : "dr", status, newest.AddHours(-1 - (i / 2)), []);
        _listed.Add(new WeakReference<BackupRecord>(made));
        return made;
    }
}

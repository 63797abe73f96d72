using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.TestKit.Fakes;

/// <summary>An in-memory <see cref="IRunHistory"/>.</summary>
public sealed class MemoryRunHistory : IRunHistory
{
    private readonly ConcurrentDictionary<string, BackupRecord> _backups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RestoreRecord> _restores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DrillRecord> _drills = new(StringComparer.Ordinal);

    public Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default)
    {
        _backups[record.Id] = record;
        return Task.CompletedTask;
    }

    public Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_backups.GetValueOrDefault(backupId));

    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        Newest(_backups.Values, r => r.Id, cancellationToken);

    public Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default)
    {
        _restores[record.Id] = record;
        return Task.CompletedTask;
    }

    public Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_restores.GetValueOrDefault(restoreId));

    public IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default) =>
        Newest(_restores.Values, r => r.Id, cancellationToken);

    public Task SaveDrillAsync(DrillRecord record, CancellationToken cancellationToken = default)
    {
        _drills[record.Id] = record;
        return Task.CompletedTask;
    }

    public Task<DrillRecord?> FindDrillAsync(string drillId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_drills.GetValueOrDefault(drillId));

    public IAsyncEnumerable<DrillRecord> ListDrillsAsync(CancellationToken cancellationToken = default) =>
        Newest(_drills.Values, r => r.Id, cancellationToken);

    private static async IAsyncEnumerable<T> Newest<T>(IEnumerable<T> records, Func<T, string> id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var record in records.OrderByDescending(id, StringComparer.Ordinal))
        {
            yield return record;
        }
    }
}

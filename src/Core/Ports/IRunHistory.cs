using Strata.Core.Runs;

namespace Strata.Core.Ports;

/// <summary>The record of runs — backups, restores and restore drills: what ran, when, and how it ended.</summary>
public interface IRunHistory
{
    /// <summary>Inserts or replaces the record of a backup run.</summary>
    Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default);

    /// <summary>The record with <paramref name="backupId"/>, or null.</summary>
    Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default);

    /// <summary>Every backup record, newest first.</summary>
    IAsyncEnumerable<BackupRecord> ListBackupsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of a restore run.</summary>
    Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default);

    /// <summary>The restore record with <paramref name="restoreId"/>, or null.</summary>
    Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default);

    /// <summary>Every restore record, newest first.</summary>
    IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of a restore drill.</summary>
    Task SaveDrillAsync(DrillRecord record, CancellationToken cancellationToken = default);

    /// <summary>The drill record with <paramref name="drillId"/>, or null.</summary>
    Task<DrillRecord?> FindDrillAsync(string drillId, CancellationToken cancellationToken = default);

    /// <summary>Every drill record, newest first.</summary>
    IAsyncEnumerable<DrillRecord> ListDrillsAsync(CancellationToken cancellationToken = default);
}

using Strata.Core.Databases;

namespace Strata.Core.Volumes;

/// <summary>
/// Opens the database sessions that make volume snapshots application-consistent: an online backup started and stopped
/// in one session, with the snapshots taken between (PostgreSQL: <c>pg_backup_start</c> / <c>pg_backup_stop</c>).
/// </summary>
public interface IOnlineBackups
{
    /// <summary>
    /// Opens a session to <paramref name="target"/>'s server on <paramref name="cluster"/> (through its pod's exec, or
    /// directly); throws <see cref="DatabaseTargetException"/> when the server cannot be reached or signed in to.
    /// </summary>
    Task<IOnlineBackupSession> OpenAsync(DatabaseTarget target, string cluster, CancellationToken cancellationToken = default);
}

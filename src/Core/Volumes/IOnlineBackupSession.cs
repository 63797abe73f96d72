using Strata.Core.Databases;

namespace Strata.Core.Volumes;

/// <summary>
/// One open session to a database server. Disposing it ends the session: a backup started and not stopped is then
/// aborted by the server itself (a non-exclusive backup does not outlive its session).
/// </summary>
public interface IOnlineBackupSession : IAsyncDisposable
{
    /// <summary>Where the session runs: <c>pod shop/postgres-0 (container postgres)</c>, <c>this host</c>.</summary>
    string RanIn { get; }

    /// <summary>The pod the session runs in (<c>Namespace</c>, <c>Name</c>) — whose claims hold the data; null for a direct target.</summary>
    (string Namespace, string Name)? Pod { get; }

    /// <summary>Starts the online backup (<c>pg_backup_start(label, fast => true)</c>); returns the record so far (start LSN, time, server version).</summary>
    Task<OnlineBackupRecord> StartAsync(string label, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops it in the same session (<c>pg_backup_stop()</c>); returns the whole record, with the <c>backup_label</c> and
    /// <c>tablespace_map</c> the server returned. Throws <see cref="DatabaseTargetException"/> when the session dropped or the
    /// server refused: the backup did not stop in this session, so the snapshots taken since the start are not application-consistent.
    /// </summary>
    Task<OnlineBackupRecord> StopAsync(CancellationToken cancellationToken = default);
}

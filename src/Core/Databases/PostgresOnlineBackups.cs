using System.Globalization;
using Strata.Core.Volumes;

namespace Strata.Core.Databases;

/// <summary>
/// Opens PostgreSQL online-backup sessions (<see cref="IOnlineBackups"/>): one long-lived <c>psql</c> per session
/// (<see cref="PsqlConversation"/>), wherever the target's tools run — in its pod through exec, or on this host for a
/// direct target — signed in as the dumps are (<see cref="DatabaseConnector"/>, the password on stdin or in the
/// environment, never on a command line). Each step is bounded by the server (<c>statement_timeout</c>) and by Strata.
/// </summary>
/// <param name="connectors">The connector for a cluster's name (its pods and Secrets).</param>
/// <param name="time">The clock for the record's times and the steps' limits.</param>
/// <param name="stepTimeout">The longest one step (a start's checkpoint, a stop's wait for the archive) may take; the target's <c>timeout</c> when shorter. Default <see cref="DefaultStepTimeout"/>.</param>
public sealed class PostgresOnlineBackups(Func<string, DatabaseConnector> connectors, TimeProvider time, TimeSpan? stepTimeout = null) : IOnlineBackups
{
    /// <summary>
    /// Ten minutes: a fast checkpoint and the archiving of one WAL segment take far less; an archiver that cannot keep up
    /// should fail the step rather than hold the volume layer for the target's whole timeout.
    /// </summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    private const string Opening = "opening the session";

    /// <inheritdoc />
    /// <remarks>The session (psql, and the exec that runs it) lives for the target's <c>timeout</c> at most.</remarks>
    public async Task<IOnlineBackupSession> OpenAsync(DatabaseTarget target, string cluster, CancellationToken cancellationToken = default)
    {
        if (target.Engine != DatabaseEngine.PostgreSql)
        {
            throw new DatabaseTargetException($"database target {target.Qualified}: online backups around volume snapshots need PostgreSQL (pg_backup_start); this target is {target.Engine}");
        }

        var database = await connectors(cluster).ConnectAsync(target, cancellationToken);
        var step = stepTimeout ?? DefaultStepTimeout;
        var limit = step < target.Timeout ? step : target.Timeout;
        var psql = PsqlConversation.Start(database, PostgresTools.Session(target, database.Password, target.Timeout), time);
        try
        {
            var version = await ServerVersionAsync(psql, target, limit, cancellationToken);
            if (version < PostgresBackupFunctions.MinimumVersion)
            {
                throw new DatabaseTargetException($"database target {target.Qualified}: the server is {PostgresBackupFunctions.VersionText(version)}, "
                    + "which has only exclusive online backups (a crash in one leaves the server unable to restart); PostgreSQL 9.6 or later is needed");
            }

            await psql.AskAsync(Opening, Settings(version, limit), limit, cancellationToken);
            return new PostgresOnlineBackupSession(database, psql, version, time, limit);
        }
        catch
        {
            await psql.DisposeAsync();
            throw;
        }
    }

    private static async Task<int> ServerVersionAsync(PsqlConversation psql, DatabaseTarget target, TimeSpan limit, CancellationToken cancellationToken)
    {
        var rows = await psql.AskAsync(Opening, "select current_setting('server_version_num');", limit, cancellationToken);
        return rows is [[var text]] && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
            : throw new DatabaseTargetException($"database target {target.Qualified}: server_version_num in {psql.Where} answered '{string.Join(' ', rows.SelectMany(r => r))}', not a number");
    }

    /// <summary>
    /// The session's settings: UTF-8 for the label; a name operators see in <c>pg_stat_activity</c>; the step limit enforced by
    /// the server itself, which cancels a stuck checkpoint or archive wait wherever psql runs and whatever became of it; and no
    /// <c>idle_session_timeout</c> (14+), which would end the session — and the backup — while the snapshots are taken.
    /// </summary>
    private static string Settings(int version, TimeSpan limit) =>
        "set client_encoding = 'UTF8'; set application_name = 'strata online backup'; "
        + string.Create(CultureInfo.InvariantCulture, $"set statement_timeout = {(long)Math.Ceiling(limit.TotalMilliseconds)};")
        + (version >= 140000 ? " set idle_session_timeout = 0;" : "");
}

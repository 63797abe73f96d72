using Npgsql;

namespace Strata.TestKit.Databases;

/// <summary>
/// Reads, from a connection of its own, whether a PostgreSQL server has an online backup in progress — which no view shows for a
/// non-exclusive backup. The fixture runs with <c>full_page_writes=off</c>, and while any backup runs the server writes full
/// pages anyway (<c>forcePageWrites</c>): so the WAL of locking a row of a full page right after a checkpoint holds the whole
/// page (about 8 kB) during a backup, and a few dozen bytes otherwise. Rows are only ever locked, never updated, so the page
/// stays full (an update would move the row and leave a half-empty page, whose image is small). Shared by the adapter's
/// tests and the CLI's (a backup in progress at the moment the volume layer creates its VolumeSnapshot).
/// </summary>
public static class OnlineBackupProbe
{
    private const string Table = "strata_online_backup_probe";

    /// <summary>Creates the probe's table: its first heap page filled to the brim (fillfactor 100).</summary>
    public static Task PrepareAsync(PostgresServer server) => server.ExecuteAsync("postgres",
        $"create table if not exists {Table} (id int primary key, v int, pad text) with (fillfactor = 100); "
        + $"insert into {Table} select g, 0, repeat('x', 60) from generate_series(1, 100) g on conflict do nothing;");

    /// <summary>Whether the server writes full pages now, i.e. an online backup is in progress.</summary>
    public static async Task<bool> BackupInProgressAsync(PostgresServer server)
    {
        if (await server.QueryScalarAsync<string>("postgres", "show full_page_writes") != "off")
        {
            throw new InvalidOperationException("the probe needs a server with full_page_writes=off");
        }

        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("checkpoint; select pg_current_wal_insert_lsn()::text", connection);
        var before = (string)(await command.ExecuteScalarAsync())!;
        command.CommandText = $"select id from {Table} where id = 1 for update";
        await command.ExecuteNonQueryAsync();
        command.CommandText = $"select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '{before}')::bigint";
        var bytes = (long)(await command.ExecuteScalarAsync())!;
        return bytes > 4096;
    }

    /// <summary>The pid of the Strata session whose last statement mentions <paramref name="label"/>; null when there is none.</summary>
    public static async Task<int?> SessionPidAsync(PostgresServer server, string label)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select pid from pg_stat_activity where application_name = 'strata online backup' and pid <> pg_backend_pid() and position(@label in query) > 0", connection);
        command.Parameters.AddWithValue("label", label);
        return await command.ExecuteScalarAsync() is int pid ? pid : null;
    }

    /// <summary>Waits until backend <paramref name="pid"/> has ended (the server aborts its backup as it exits); false after 30 seconds.</summary>
    public static async Task<bool> EndedAsync(PostgresServer server, int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_stat_activity where pid = {pid}") > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>An LSN as a number, for ordering (<c>0/3000028</c>).</summary>
    public static ulong Lsn(string text)
    {
        var parts = text.Split('/');
        return (Convert.ToUInt64(parts[0], 16) << 32) | Convert.ToUInt64(parts[1], 16);
    }
}

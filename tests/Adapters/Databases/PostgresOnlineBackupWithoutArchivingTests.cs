using Strata.Adapters.Commands;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// A server that does not archive its WAL (<c>archive_mode=off</c>, PostgreSQL's default): <c>pg_backup_stop</c> would only
/// issue a NOTICE and return a <c>backup_label</c> whose recovery needs WAL nobody kept, so the online backup is refused
/// before it starts — and nothing is left on the server.
/// </summary>
public sealed class PostgresOnlineBackupWithoutArchivingTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task StartAsync_ArchiveModeOff_RefusedBeforePgBackupStart_NoBackupLeft()
    {
        var target = new DatabaseTarget
        {
            Name = "main", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = server.Host, Port = server.Port, AllDatabases = true,
            Password = new SecretReference(SecretSource.Environment, "PG_PASSWORD"),
        };
        var connector = new DatabaseConnector(null, null, new LocalCommands(), new SecretResolver(name => name == "PG_PASSWORD" ? server.Password : null));
        await using var session = await new PostgresOnlineBackups(_ => connector, TimeProvider.System).OpenAsync(target, "prod");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync("strata test without archiving"));

        Assert.Equal("off", await server.QueryScalarAsync<string>("postgres", "show archive_mode"));
        Assert.Equal("database target direct/main: archive_mode is off: recovering a snapshot with its backup_label needs the WAL from pg_backup_start to pg_backup_stop "
            + "from the WAL archive; the snapshots are taken crash-consistent instead", e.Message);
        Assert.Null(await OnlineBackupProbe.SessionPidAsync(server, "strata test without archiving"));
    }
}

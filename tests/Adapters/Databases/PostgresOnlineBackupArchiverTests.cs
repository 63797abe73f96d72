using Strata.Adapters.Commands;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// A server whose <c>archive_command</c> always fails: <c>pg_backup_stop(wait_for_archive => true)</c> would wait forever, so
/// the step's limit ends it — the server cancels the statement itself (<c>statement_timeout</c>) and says so.
/// </summary>
public sealed class PostgresOnlineBackupArchiverTests : IAsyncLifetime
{
    private readonly PostgresServer _server = new() { Settings = ["archive_mode=on", "archive_command=false"] };

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await OnlineBackupProbe.PrepareAsync(_server);
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task StopAsync_ArchiverNeverArchives_TheStepLimitEndsIt_NotApplicationConsistent_NoBackupLeft()
    {
        var target = new DatabaseTarget
        {
            Name = "main", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = _server.Host, Port = _server.Port, AllDatabases = true,
            Password = new SecretReference(SecretSource.Environment, "PG_PASSWORD"),
        };
        var connector = new DatabaseConnector(null, null, new LocalCommands(), new SecretResolver(name => name == "PG_PASSWORD" ? _server.Password : null));
        var backups = new PostgresOnlineBackups(_ => connector, TimeProvider.System, stepTimeout: TimeSpan.FromSeconds(2));
        await using var session = await backups.OpenAsync(target, "prod");
        await session.StartAsync("strata test archiver");
        var pid = (await OnlineBackupProbe.SessionPidAsync(_server, "strata test archiver"))!.Value;

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StopAsync());

        Assert.Equal("database target direct/main: pg_backup_stop in this host failed: ERROR: canceling statement due to statement timeout: "
            + "the backup did not stop in the session that started it, so the snapshots taken since pg_backup_start are not application-consistent", e.Message);
        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid));
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }
}

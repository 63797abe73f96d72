using Strata.Adapters.Commands;
using Strata.Core.Databases;
using Strata.Core.Freshness;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// <c>pg_stat_archiver</c> read from a real PostgreSQL whose <c>archive_command</c> always fails: Strata's reading
/// (through the target's executor, here this host) sees the failures, and the judgement says the archiver is failing
/// — the silent break of point-in-time recovery that a missed backup alert would not catch.
/// </summary>
public sealed class PostgresArchiverLiveTests : IAsyncLifetime
{
    private readonly PostgresServer _server = new() { Settings = ["archive_mode=on", "archive_command=false", "archive_timeout=0"] };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Read_ArchiveCommandFails_ReadingCountsTheFailures_AndTheArchiverIsJudgedFailing()
    {
        await _server.ExecuteAsync("postgres", "create table filler as select generate_series(1, 1000) id; select pg_switch_wal();");
        var target = new DatabaseTarget
        {
            Name = "main", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = _server.Host, Port = _server.Port, User = _server.User,
            Databases = ["postgres"], Archiving = true,
        };
        var database = new ConnectedDatabase(target, new HostToolExecutor(new LocalCommands()), _server.Password);

        WalArchiverReading reading;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            reading = await PostgresArchiver.ReadAsync(database);
        }
        while (reading.FailedCount is null or 0 && DateTime.UtcNow < deadline);

        Assert.Equal("on", reading.ArchiveMode);
        Assert.True(reading.FailedCount > 0, "the archiver never reported a failure");
        Assert.NotNull(reading.LastFailedAt);
        Assert.Null(reading.LastArchivedAt);
        Assert.Equal(WalArchivingState.Failing, WalArchiving.Judge(reading, TimeSpan.FromHours(1)).State);
    }
}

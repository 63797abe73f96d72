using MySqlConnector;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Databases;

/// <summary>The MariaDB fixture: grant tables on and a wrong password refused, the dataset, and counts and checksums that survive a dump and reload.</summary>
public sealed class MariaDbServerTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Connect_WrongPassword_Refused()
    {
        var builder = new MySqlConnectionStringBuilder(server.ConnectionString()) { Password = "wrong" };
        await using var connection = new MySqlConnection(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());

        Assert.Equal(MySqlErrorCode.AccessDenied, e.ErrorCode);
    }

    [Fact]
    public async Task SeedAsync_Rows_BuildsTheDataset()
    {
        var database = MariaDbServer.UniqueDatabaseName();
        await server.CreateDatabaseAsync(database);
        await server.SeedAsync(database, 123);

        var counts = await server.RowCountsAsync(database);

        Assert.Equal(new Dictionary<string, long>
        {
            [$"{database}.audit_log"] = 0, [$"{database}.customers"] = 12, [$"{database}.discontinued"] = 0,
            [$"{database}.orders"] = 123, [$"{database}.products"] = 25,
        }, counts);
        Assert.Equal(1L, await server.QueryScalarAsync<long>(database, "SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE()"));
        await server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task ChecksumsAsync_DumpReloadedElsewhere_EqualUntilARowChanges()
    {
        var (source, copy) = (MariaDbServer.UniqueDatabaseName("src"), MariaDbServer.UniqueDatabaseName("copy"));
        await server.CreateDatabaseAsync(source);
        await server.SeedAsync(source, 500);
        await server.CreateDatabaseAsync(copy);

        await server.RestoreAsync(copy, await server.DumpAsync(source, "--single-transaction", "--routines", "--triggers"));

        var before = await server.ChecksumsAsync(source);
        var after = await server.ChecksumsAsync(copy);
        Assert.Equal(before.Values, after.Values);
        await server.ExecuteAsync(copy, "UPDATE orders SET notes = 'changed' WHERE id = 7");
        Assert.NotEqual(before[$"{source}.orders"], (await server.ChecksumsAsync(copy))[$"{copy}.orders"]);
        await server.DropDatabaseAsync(source);
        await server.DropDatabaseAsync(copy);
    }
}

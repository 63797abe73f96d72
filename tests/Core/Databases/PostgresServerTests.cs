using Npgsql;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Databases;

/// <summary>The PostgreSQL fixture: password authentication that refuses a wrong password, the dataset, and counts and checksums that survive a dump and restore.</summary>
public sealed class PostgresServerTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Connect_WrongPassword_Refused()
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = "wrong" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("28P01", e.SqlState); // invalid_password
    }

    [Fact]
    public async Task Environment_WithoutPassword_PgDumpRefused()
    {
        var environment = server.Environment("postgres");

        var (exitCode, _, errors) = await DatabaseTool.CaptureAsync(server.Tool("pg_dump"), ["-Fc"], environment);

        Assert.DoesNotContain("PGPASSWORD", environment.Keys);
        Assert.Equal(("127.0.0.1", "postgres"), (environment["PGHOST"], environment["PGUSER"]));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("password", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedAsync_Rows_BuildsTheDataset()
    {
        var database = PostgresServer.UniqueDatabaseName();
        await server.CreateDatabaseAsync(database);
        await server.SeedAsync(database, 123);

        var counts = await server.RowCountsAsync(database);

        Assert.Equal(123, counts[PostgresDataset.LargeTable]);
        Assert.Equal(new Dictionary<string, long>
        {
            ["audit.events"] = 30, ["audit.measurements_2024"] = 30, ["audit.measurements_2025"] = 10, ["inventory.discontinued"] = 0, ["inventory.products"] = 25, ["inventory.stock"] = 50,
            ["public.documents"] = 3, ["sales.customers"] = 12, ["sales.orders"] = 123,
        }, counts);
        Assert.Equal(PostgresDataset.LargeObjects, await server.LargeObjectCountAsync(database));
        Assert.Equal(2L, await server.QueryScalarAsync<long>(database, "SELECT count(*) FROM pg_roles WHERE rolname IN ('strata_app', 'strata_reader')"));
        Assert.Equal(1123L, await server.QueryScalarAsync<long>(database, "SELECT last_value FROM sales.invoice_numbers"));
        Assert.True(await server.QueryScalarAsync<long>(database, "SELECT count(*) FROM sales.order_totals") > 0);
        await server.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task ChecksumsAsync_DumpRestoredElsewhere_EqualUntilARowChanges()
    {
        var (source, copy) = (PostgresServer.UniqueDatabaseName("src"), PostgresServer.UniqueDatabaseName("copy"));
        await server.CreateDatabaseAsync(source);
        await server.SeedAsync(source, 500);
        await server.CreateDatabaseAsync(copy);

        await server.RestoreAsync(copy, await server.PgDumpAsync(source, "-Fc"));

        Assert.Equal(await server.RowCountsAsync(source), await server.RowCountsAsync(copy));
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(copy));
        await server.ExecuteAsync(copy, "UPDATE sales.orders SET notes = 'changed' WHERE id = 7");
        var changed = await server.ChecksumsAsync(copy);
        Assert.NotEqual((await server.ChecksumsAsync(source))["sales.orders"], changed["sales.orders"]);
        Assert.Equal((await server.ChecksumsAsync(source))["sales.customers"], changed["sales.customers"]);
        await server.DropDatabaseAsync(source);
        await server.DropDatabaseAsync(copy);
    }

    [Fact]
    public async Task ChecksumsAsync_LargeObjectsMissingOrChanged_Differ()
    {
        var (source, copy, without) = (PostgresServer.UniqueDatabaseName("src"), PostgresServer.UniqueDatabaseName("copy"), PostgresServer.UniqueDatabaseName("noblobs"));
        await server.CreateDatabaseAsync(source);
        await server.SeedAsync(source, 20);
        await server.CreateDatabaseAsync(copy);
        await server.CreateDatabaseAsync(without);
        await server.RestoreAsync(copy, await server.PgDumpAsync(source, "-Fc"));
        await server.RestoreAsync(without, await server.PgDumpAsync(source, "-Fc", "--no-blobs"));

        var expected = await server.ChecksumsAsync(source);
        Assert.StartsWith($"{PostgresDataset.LargeObjects} large objects, md5 ", expected[PostgresServer.LargeObjectsKey], StringComparison.Ordinal);
        Assert.Equal(expected, await server.ChecksumsAsync(copy));
        var noBlobs = await server.ChecksumsAsync(without);
        Assert.Equal(expected.Where(p => p.Key != PostgresServer.LargeObjectsKey), noBlobs.Where(p => p.Key != PostgresServer.LargeObjectsKey));
        Assert.StartsWith("0 large objects", noBlobs[PostgresServer.LargeObjectsKey], StringComparison.Ordinal);

        // One byte of one large object changed: the tables are the same, the large objects are not.
        await server.ExecuteAsync(copy, "SELECT lo_put((SELECT min(oid) FROM pg_largeobject_metadata), 0, 'X'::bytea)");
        var changed = await server.ChecksumsAsync(copy);
        Assert.NotEqual(expected[PostgresServer.LargeObjectsKey], changed[PostgresServer.LargeObjectsKey]);
        Assert.Equal(expected["public.documents"], changed["public.documents"]);
        foreach (var database in new[] { source, copy, without })
        {
            await server.DropDatabaseAsync(database);
        }
    }
}

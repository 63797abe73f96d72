using System.Text;
using Strata.Core.Databases.MySql;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Databases.MySql;

/// <summary>
/// The dump script reader against real <c>mariadb-dump</c> output of a seeded database (extended inserts,
/// one row per INSERT, column lists, INSERT IGNORE and REPLACE, several databases, routines and triggers
/// whose bodies hold INSERTs): the rows per table equal the server's counts.
/// </summary>
public sealed class MySqlDumpScriptTests(MariaDbServer server) : IClassFixture<MariaDbServer>, IAsyncLifetime
{
    private const int Rows = 3000;
    private readonly string _database = MariaDbServer.UniqueDatabaseName("dump");

    public async Task InitializeAsync()
    {
        await server.CreateDatabaseAsync(_database);
        await server.SeedAsync(_database, Rows);
    }

    public Task DisposeAsync() => server.DropDatabaseAsync(_database);

    [Theory]
    [InlineData("--single-transaction")]
    [InlineData("--skip-extended-insert")]
    [InlineData("--complete-insert")]
    [InlineData("--insert-ignore")]
    [InlineData("--replace")]
    [InlineData("--net-buffer-length=4096")]
    [InlineData("--hex-blob")]
    [InlineData("--skip-dump-date")]
    public async Task ReadAsync_SeededDatabase_RowsPerTableEqualTheServers(string option)
    {
        var dump = await server.DumpAsync(_database, "--routines", "--triggers", "--events", option);

        var contents = await MySqlDumpScript.ReadAsync(new TrickleStream(dump, seed: option.Length, maxRead: 4096));

        var expected = await server.RowCountsAsync(_database);
        Assert.Equal(expected, contents.Tables.ToDictionary(t => t.QualifiedName, t => t.Rows!.Value));
        Assert.Equal(Rows, contents.Tables.Single(t => t.Name == MariaDbDataset.LargeTable).Rows);
        Assert.Equal(0, contents.Tables.Single(t => t.Name == "audit_log").Rows); // the procedure's and trigger's INSERTs are not data
        Assert.True(contents.Completed);
        Assert.Equal((MySqlDumpFlavor.MariaDb, _database, "127.0.0.1"), (contents.Flavor, contents.Database, contents.Host));
        Assert.Equal([_database], contents.Databases);
        Assert.Contains("MariaDB", contents.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(option == "--skip-dump-date", contents.CompletedOn is null);
    }

    [Fact]
    public async Task ReadAsync_SeveralDatabases_TablesByDatabase()
    {
        var other = MariaDbServer.UniqueDatabaseName("other");
        await server.CreateDatabaseAsync(other);
        try
        {
            await server.SeedAsync(other, 7);
            var dump = await server.DumpAsync(_database, "--databases", _database, other);

            var contents = await MySqlDumpScript.ReadAsync(new MemoryStream(dump));

            var expected = (await server.RowCountsAsync(_database)).Concat(await server.RowCountsAsync(other)).ToDictionary();
            Assert.Equal(expected, contents.Tables.ToDictionary(t => t.QualifiedName, t => t.Rows!.Value));
            Assert.Equal(new[] { _database, other }.Order(StringComparer.Ordinal), contents.Databases);
        }
        finally
        {
            await server.DropDatabaseAsync(other);
        }
    }

    [Fact]
    public async Task ReadAsync_NoData_TablesWithoutRows()
    {
        var contents = await MySqlDumpScript.ReadAsync(new MemoryStream(await server.DumpAsync(_database, "--no-data")));

        Assert.Equal(5, contents.Tables.Count);
        Assert.All(contents.Tables, t => Assert.Null(t.Rows));
        Assert.True(contents.Completed);
    }

    [Fact]
    public async Task ReadAsync_TruncatedAnywhere_NotCompleted()
    {
        var dump = await server.DumpAsync(_database);
        var cuts = Enumerable.Range(1, 60).Select(i => (int)((long)dump.Length * i / 61)).Append(dump.Length - 1).Append(dump.Length - 2);

        foreach (var cut in cuts)
        {
            try
            {
                var contents = await MySqlDumpScript.ReadAsync(new MemoryStream(dump, 0, cut));
                Assert.False(contents.Completed, $"cut at {cut} of {dump.Length} read as complete");
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("not a MariaDB or MySQL dump", e.Message, StringComparison.Ordinal); // cut inside the header
            }
        }
    }

    [Fact]
    public async Task ReadAsync_NotADump_ThrowsSaying()
    {
        var script = Encoding.UTF8.GetBytes("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n-- Dump completed\n");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => MySqlDumpScript.ReadAsync(new MemoryStream(script)));

        Assert.Equal("not a MariaDB or MySQL dump: a statement ends at byte 24 before any '-- MariaDB dump' or '-- MySQL dump' header", e.Message);
        Assert.Equal("the dump is empty", (await Assert.ThrowsAsync<InvalidDataException>(() => MySqlDumpScript.ReadAsync(new MemoryStream()))).Message);
    }
}

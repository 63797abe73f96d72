using Strata.Core.Databases.Postgres;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Databases.Postgres;

/// <summary>
/// The archive reader against real <c>pg_dump -Fc</c> output (pg_dump 15, archive 1.14) of a seeded database,
/// streamed through a pipe as Strata streams it: the rows per table equal the server's counts.
/// </summary>
public sealed class PgDumpArchiveTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const int Rows = 2500;
    private readonly string _database = PostgresServer.UniqueDatabaseName("dump");

    public async Task InitializeAsync()
    {
        await server.CreateDatabaseAsync(_database);
        await server.SeedAsync(_database, Rows);
    }

    public Task DisposeAsync() => server.DropDatabaseAsync(_database);

    [Theory]
    [InlineData("-Z0", PgDumpCompression.None)]
    [InlineData("-Z6", PgDumpCompression.Gzip)]
    [InlineData("--serializable-deferrable", PgDumpCompression.Gzip)]
    public async Task ReadAsync_SeededDatabase_RowsPerTableEqualTheServers(string option, PgDumpCompression compression)
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", option);

        var contents = await PgDumpArchive.ReadAsync(new TrickleStream(dump, seed: 1, maxRead: 8192));

        var expected = await server.RowCountsAsync(_database);
        Assert.Equal(expected, contents.Tables.Where(t => t.Rows is not null).ToDictionary(t => t.QualifiedName, t => t.Rows!.Value));
        Assert.Null(contents.Tables.Single(t => t.QualifiedName == "audit.measurements").Rows); // a partitioned table: the rows are its partitions'
        Assert.Equal(expected.Count + 1, contents.Tables.Count);
        Assert.Equal(Rows, contents.Tables.Single(t => t.QualifiedName == PostgresDataset.LargeTable).Rows);
        Assert.Equal(["audit", "inventory", "public", "sales"], contents.Schemas);
        Assert.Equal(PostgresDataset.LargeObjects, contents.LargeObjects);
        Assert.True(contents.DataComplete);
        Assert.True(contents.RowsCounted);
        Assert.Equal((compression, "1.14-0", _database, "UTF8"), (contents.Compression, contents.FormatVersion, contents.Database, contents.Encoding));
        Assert.StartsWith("15.", contents.ServerVersion, StringComparison.Ordinal);
        Assert.StartsWith("15.", contents.PgDumpVersion, StringComparison.Ordinal);
        Assert.True(contents.Entries > 20, $"{contents.Entries} entries");
    }

    [Fact]
    public async Task ReadAsync_EmptyDatabase_HasEntriesAndNoTables()
    {
        var empty = PostgresServer.UniqueDatabaseName("empty");
        await server.CreateDatabaseAsync(empty);
        try
        {
            var contents = await PgDumpArchive.ReadAsync(new MemoryStream(await server.PgDumpAsync(empty, "-Fc")));

            Assert.Empty(contents.Tables);
            Assert.Equal(0, contents.LargeObjects);
            Assert.True(contents.DataComplete);
            Assert.InRange(contents.Entries, 1, 10); // ENCODING, STDSTRINGS, SEARCHPATH and the like
        }
        finally
        {
            await server.DropDatabaseAsync(empty);
        }
    }

    [Fact]
    public async Task ReadAsync_SchemaOnly_TablesWithoutRows()
    {
        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(await server.PgDumpAsync(_database, "-Fc", "--schema-only")));

        Assert.NotEmpty(contents.Tables);
        Assert.All(contents.Tables, t => Assert.Null(t.Rows));
        Assert.True(contents.DataComplete);
        Assert.Equal(0, contents.DataBlocks);
    }

    [Fact]
    public async Task ReadAsync_InsertFormat_RowsNotCounted()
    {
        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(await server.PgDumpAsync(_database, "-Fc", "--inserts")));

        Assert.All(contents.Tables, t => Assert.Null(t.Rows));
        Assert.True(contents.DataComplete);
        Assert.Equal(PostgresDataset.LargeObjects, contents.LargeObjects);
    }

    [Fact]
    public async Task ReadAsync_DumpToAFile_ReadsAsTheStreamedOne()
    {
        // A seekable output gets the data offsets written back into the table of contents.
        var file = Path.Combine(Path.GetTempPath(), $"strata-{Guid.NewGuid():N}.dump");
        try
        {
            await server.PgDumpAsync(_database, "-Fc", "-f", file);
            var fromFile = await PgDumpArchive.ReadAsync(new MemoryStream(await File.ReadAllBytesAsync(file)));
            var streamed = await PgDumpArchive.ReadAsync(new MemoryStream(await server.PgDumpAsync(_database, "-Fc")));

            Assert.Equal(streamed.Tables, fromFile.Tables);
            Assert.Equal(streamed.Entries, fromFile.Entries);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("-Z0")]
    [InlineData("-Z6")]
    public async Task ReadAsync_TruncatedAnywhere_ThrowsNamingTheByteOrReportsMissingData(string option)
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", option);
        var cuts = Enumerable.Range(0, 60).Select(i => (int)((long)dump.Length * i / 60)).Concat([1, 5, 12, dump.Length - 1]).Distinct();

        foreach (var cut in cuts)
        {
            var truncated = new MemoryStream(dump, 0, cut);
            try
            {
                var contents = await PgDumpArchive.ReadAsync(truncated);
                Assert.False(contents.DataComplete, $"cut at {cut} of {dump.Length} read as complete");
                Assert.NotEmpty(contents.MissingData);
            }
            catch (InvalidDataException e)
            {
                Assert.Matches(cut == 0 ? "^the dump is empty$" : $@"\bends (after .* )?at byte {cut}\b", e.Message);
            }
        }
    }

    [Theory]
    [InlineData("-Z0")]
    [InlineData("-Z6")]
    public async Task WalkAsync_SeededDatabase_SameStructureAsReadWithoutRows(string option)
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", option);
        var read = await PgDumpArchive.ReadAsync(new MemoryStream(dump));

        var walked = await PgDumpArchive.WalkAsync(new TrickleStream(dump, seed: 2, maxRead: 8192));

        Assert.Equal((read.Entries, read.DataBlocks, read.LargeObjects, read.Compression, true), (walked.Entries, walked.DataBlocks, walked.LargeObjects, walked.Compression, walked.DataComplete));
        Assert.Equal(read.Schemas, walked.Schemas);
        Assert.Equal(read.Tables.Select(t => t.QualifiedName), walked.Tables.Select(t => t.QualifiedName));
        Assert.All(walked.Tables, t => Assert.Null(t.Rows));
        Assert.False(walked.RowsCounted);
    }

    [Theory]
    [InlineData("-Z0")]
    [InlineData("-Z6")]
    public async Task WalkAsync_TruncatedAnywhere_ThrowsNamingTheByteOrReportsMissingData(string option)
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", option);
        var cuts = Enumerable.Range(0, 60).Select(i => (int)((long)dump.Length * i / 60)).Concat([1, 5, 12, dump.Length - 1]).Distinct();

        foreach (var cut in cuts)
        {
            try
            {
                var contents = await PgDumpArchive.WalkAsync(new MemoryStream(dump, 0, cut));
                Assert.False(contents.DataComplete, $"cut at {cut} of {dump.Length} walked as complete");
                Assert.NotEmpty(contents.MissingData);
            }
            catch (InvalidDataException e)
            {
                Assert.Matches(cut == 0 ? "^the dump is empty$" : $@"\bends (after .* )?at byte {cut}\b", e.Message);
            }
        }
    }

    [Fact]
    public async Task WalkAsync_BytesAfterTheLastBlock_Throws()
    {
        var dump = await server.PgDumpAsync(_database, "-Fc");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.WalkAsync(new MemoryStream([.. dump, 0x07])));

        Assert.Equal($"a data block of unknown type 7 at byte {dump.Length}", e.Message);
    }

    [Fact]
    public async Task ReadAsync_TruncatedTableOfContents_SaysHowManyEntriesCame()
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", "-Z0");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream(dump, 0, 600)));

        Assert.Matches(@"^the table of contents ends after \d+ of \d+ entries at byte 600$", e.Message);
    }

    [Fact]
    public async Task ReadAsync_CorruptCompressedData_ThrowsNamingTheEntry()
    {
        var dump = await server.PgDumpAsync(_database, "-Fc", "-Z6");
        var clean = await PgDumpArchive.ReadAsync(new MemoryStream(dump));
        var damaged = 0;
        for (var at = dump.Length * 3 / 5; at < dump.Length * 4 / 5; at += dump.Length / 50)
        {
            var copy = dump.ToArray();
            copy[at] ^= 0x5A;
            try
            {
                var contents = await PgDumpArchive.ReadAsync(new MemoryStream(copy));
                Assert.Equal(clean.Tables, contents.Tables); // a flip the format cannot see must at least not change a count silently
            }
            catch (InvalidDataException e)
            {
                Assert.Matches(@"byte \d+", e.Message);
                damaged++;
            }
        }

        Assert.True(damaged > 0);
    }

    [Fact]
    public async Task ReadAsync_NotADump_ThrowsSaying()
    {
        var plain = await server.PgDumpAsync(_database, "--schema-only");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream(plain)));

        Assert.Equal("not a pg_dump custom-format archive: it does not start with PGDMP", e.Message);
        Assert.Equal("the dump is empty", (await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream()))).Message);
    }
}

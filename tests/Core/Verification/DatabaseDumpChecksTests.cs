using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Databases;
using Strata.Core.Serialization;
using Strata.Core.Tests.ControlPlane;
using Strata.Core.Tests.Databases.Postgres;
using Strata.Core.Verification;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Verification;

/// <summary>
/// The database layer's checks through <see cref="BackupVerifier"/>: real pg_dump, pg_dumpall and mariadb-dump
/// output added to a backup (and its manifest) passes with facts; dumps cut short or not dumps at all fail,
/// even when the manifest records exactly the bytes stored (a capture that kept what a dying dump wrote).
/// </summary>
public sealed class DatabaseDumpChecksTests(PostgresServer postgres, MariaDbServer mariaDb)
    : IClassFixture<PostgresServer>, IClassFixture<MariaDbServer>
{
    private const string PgPath = "databases/shop/postgres/app.dump";
    private const string GlobalsPath = "databases/shop/postgres/globals.sql";
    private const string MariaDbPath = "databases/shop/mariadb/app.sql";

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    [Fact]
    public async Task VerifyAsync_RealDumps_PassWithFacts()
    {
        var pg = PostgresServer.UniqueDatabaseName();
        await postgres.CreateDatabaseAsync(pg);
        await postgres.SeedAsync(pg, 400);
        var maria = MariaDbServer.UniqueDatabaseName();
        await mariaDb.CreateDatabaseAsync(maria);
        await mariaDb.SeedAsync(maria, 300);

        var report = await VerifyAsync(new()
        {
            [PgPath] = await postgres.PgDumpAsync(pg, "-Fc"),
            [GlobalsPath] = await postgres.PgDumpAllGlobalsAsync(),
            [MariaDbPath] = await mariaDb.DumpAsync(maria, "--single-transaction", "--routines", "--triggers"),
        });

        Assert.True(report.Passed, string.Join("\n", report.Findings));
        var dump = report.Artifacts.Single(a => a.Path == PgPath);
        Assert.Equal(["pg_dump"], dump.Checks);
        Assert.Equal(("10", "4", "3", (await postgres.RowCountsAsync(pg)).Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (dump.Facts["tables"], dump.Facts["schemas"], dump.Facts["large objects"], dump.Facts["rows"]));
        Assert.Equal(pg, dump.Facts["database"]);
        Assert.StartsWith("15.", dump.Facts["server"], StringComparison.Ordinal);
        var globals = report.Artifacts.Single(a => a.Path == GlobalsPath);
        Assert.Equal(("sql dump", "pg_dumpall globals"), (globals.Checks[0], globals.Facts["format"]));
        var sql = report.Artifacts.Single(a => a.Path == MariaDbPath);
        Assert.Equal(("5", (await mariaDb.RowCountsAsync(maria)).Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture), maria),
            (sql.Facts["tables"], sql.Facts["rows"], sql.Facts["databases"]));
        Assert.StartsWith("MariaDB dump", sql.Facts["format"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_PgDumpCutShort_FailsNamingWhere()
    {
        var pg = PostgresServer.UniqueDatabaseName();
        await postgres.CreateDatabaseAsync(pg);
        await postgres.SeedAsync(pg, 400);
        var dump = await postgres.PgDumpAsync(pg, "-Fc");

        var report = await VerifyAsync(new() { [PgPath] = dump[..(dump.Length / 2)] });

        var error = Assert.Single(report.Errors);
        Assert.Equal(("dump", PgPath), (error.Check, error.Artifact));
        Assert.Matches($@"\bends (after .* )?at byte {dump.Length / 2}\b", error.Message);
    }

    [Fact]
    public async Task VerifyAsync_EmptyTableOfContents_Fails()
    {
        var report = await VerifyAsync(new() { [PgPath] = new PgArchiveBuilder(14).Build() });

        Assert.Equal("the table of contents is empty: the dump holds nothing", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task VerifyAsync_PgDumpEndingBeforeABlock_FailsNamingTheTable()
    {
        var archive = new PgArchiveBuilder(14).Table("public", "a").Table("public", "b").TableData("public", "a", ["1"]).TableData("public", "b", ["2"]).Build();

        var report = await VerifyAsync(new() { [PgPath] = archive[..^(1 + 5 + 5 + 7 + 5)] });

        Assert.Equal("the dump ends before the data of 1 table-of-contents entries (truncated): TABLE DATA public.b (dump id 4)", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task VerifyAsync_MariaDbDumpWithoutTrailer_Fails()
    {
        var maria = MariaDbServer.UniqueDatabaseName();
        await mariaDb.CreateDatabaseAsync(maria);
        await mariaDb.SeedAsync(maria, 50);
        var dump = await mariaDb.DumpAsync(maria);

        var report = await VerifyAsync(new() { [MariaDbPath] = dump[..(dump.Length * 2 / 3)] });

        Assert.Equal("the dump does not end with '-- Dump completed': it was cut short", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task VerifyAsync_GlobalsWithoutTrailer_Fails()
    {
        var globals = await postgres.PgDumpAllGlobalsAsync();

        var report = await VerifyAsync(new() { [GlobalsPath] = globals[..(globals.Length - 60)] });

        Assert.Equal("the script does not end with '-- PostgreSQL database cluster dump complete': it was cut short", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task CheckAsync_ExpectedRowsGiven_ComparesPerTable()
    {
        var archive = new PgArchiveBuilder(14).Table("public", "a").Table("public", "b").TableData("public", "a", ["1", "2"]).TableData("public", "b", ["3"]).Build();
        var artifact = new ArtifactEntry(PgPath, archive.Length, "");
        DumpTable[] recorded = [new("public", "a", 2), new("public", "b", 5)];
        var findings = new VerificationFindings();

        await new PgDumpCheck((a, _) => a.Path == PgPath ? recorded : null).CheckAsync(artifact, new MemoryStream(archive), null!, findings);

        var error = Assert.Single(findings.Kept);
        Assert.Equal(("rows", "public.b", "5 rows", "1 rows"), (error.Check, error.Entry, error.Expected, error.Found));
    }

    [Theory]
    [InlineData(PgPath, "not a pg_dump custom-format archive: it does not start with PGDMP")]
    [InlineData(MariaDbPath, "not a MariaDB or MySQL dump: there is no '-- MariaDB dump' or '-- MySQL dump' header")]
    public async Task VerifyAsync_NotADump_Fails(string path, string message)
    {
        var report = await VerifyAsync(new() { [path] = Encoding.UTF8.GetBytes("just some text\n") });

        var error = Assert.Single(report.Errors);
        Assert.Equal(("dump", message), (error.Check, error.Message));
    }

    /// <summary>A backup of the fakes' cluster with <paramref name="dumps"/> added to the store and its manifest (sizes and hashes as stored), verified.</summary>
    private async Task<VerificationReport> VerifyAsync(Dictionary<string, byte[]> dumps)
    {
        await _plane.AddClusterAsync("prod", 2);
        var request = _plane.Request("ci-db");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        var entries = new List<ArtifactEntry>();
        foreach (var (path, bytes) in dumps)
        {
            _plane.Store.Artifacts[record.Location + path] = bytes;
            entries.Add(new ArtifactEntry(path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        var key = record.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(_plane.Store.Artifacts[key], key);
        _plane.Store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(manifest with { Artifacts = [.. manifest.Artifacts, .. entries] }, StrataJson.Default.BackupManifest);
        return await new BackupVerifier(_plane.Store, _plane.Clock).VerifyAsync(record);
    }
}

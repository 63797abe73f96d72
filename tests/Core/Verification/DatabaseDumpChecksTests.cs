using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Databases;
using Strata.Core.Databases.Postgres;
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
    public async Task CheckAsync_RowsRecordedAtCapture_ComparesTablesAndReportsTheCapturedRows()
    {
        var archive = new PgArchiveBuilder(14).Table("public", "a").Table("public", "b").TableData("public", "a", ["1", "2"]).TableData("public", "b", ["3"]).Build();
        var artifact = new ArtifactEntry(PgPath, archive.Length, "");
        DumpTable[] recorded = [new("public", "a", 2), new("public", "c", 5)];
        var findings = new VerificationFindings();

        var result = await new PgDumpCheck((a, _) => a.Path == PgPath ? recorded : null).CheckAsync(artifact, new MemoryStream(archive), null!, findings);

        Assert.Equal([("rows", "public.b", "no table"), ("rows", "public.c", "5 rows")], findings.Kept.Select(f => (f.Check, f.Entry, f.Expected)));
        Assert.Equal("7", result.Facts["rows"]);
        Assert.StartsWith("at capture", result.Facts["rows counted"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RowsRecordedAtCapture_WalksTheDataWithoutInflating()
    {
        var dump = await postgres.PgDumpAsync(await SeededDatabaseAsync(), "-Fc");
        var recorded = (await new PostgresDumpReader().ReadAsync(new MemoryStream(dump))).Contents.Tables;
        var damaged = await DamageZlibPayloadAsync(dump);
        var artifact = new ArtifactEntry(PgPath, damaged.Length, "");

        var walked = new VerificationFindings();
        await new PgDumpCheck((_, _) => recorded).CheckAsync(artifact, new MemoryStream(damaged), null!, walked);
        var inflated = new VerificationFindings();
        await new PgDumpCheck().CheckAsync(artifact, new MemoryStream(damaged), null!, inflated);

        // Walking proves the structure; the payload's bytes are the SHA-256's to prove (VerifyAsync_DamagedPgDump_Fails).
        Assert.Empty(walked.Kept);
        Assert.Contains("is damaged near byte", Assert.Single(inflated.Kept).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RowsRecordedAtCapture_PassesWithTheCapturedRows()
    {
        var pg = await SeededDatabaseAsync();
        var dump = await postgres.PgDumpAsync(pg, "-Fc");
        var recorded = (await new PostgresDumpReader().ReadAsync(new MemoryStream(dump))).Contents;

        var report = await VerifyAsync(new() { [PgPath] = dump }, new() { [PgPath] = recorded });

        Assert.True(report.Passed, string.Join("\n", report.Findings));
        var facts = report.Artifacts.Single(a => a.Path == PgPath).Facts;
        Assert.Equal(((await postgres.RowCountsAsync(pg)).Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture), "10", "3"),
            (facts["rows"], facts["tables"], facts["large objects"]));
        Assert.StartsWith("at capture", facts["rows counted"], StringComparison.Ordinal);
    }

    /// <summary>Damage a capture could have recorded (its bytes are the manifest's) or not (<c>flipped</c>: the manifest has the dump's own hash).</summary>
    [Theory]
    [InlineData("cut in half", false, "dump")]
    [InlineData("cut in half", true, "dump")]
    [InlineData("table of contents cut", false, "dump")]
    [InlineData("table of contents cut", true, "dump")]
    [InlineData("bytes after the last block", false, "dump")]
    [InlineData("bytes after the last block", true, "dump")]
    [InlineData("last block missing", false, "dump")]
    [InlineData("last block missing", true, "dump")]
    [InlineData("flipped", false, "sha256")]
    [InlineData("flipped", true, "sha256")]
    public async Task VerifyAsync_DamagedPgDump_Fails(string damage, bool rowsRecorded, string check)
    {
        var dump = await postgres.PgDumpAsync(await SeededDatabaseAsync(), "-Fc");
        var recorded = (await new PostgresDumpReader().ReadAsync(new MemoryStream(dump))).Contents;
        var stored = damage switch
        {
            "cut in half" => dump[..(dump.Length / 2)],
            "table of contents cut" => dump[..600],
            "bytes after the last block" => [.. dump, 1, 0, 0, 0, 0],
            "last block missing" => dump[..await StartOfTheLastBlockAsync(dump)],
            _ => await DamageZlibPayloadAsync(dump),
        };

        var report = await VerifyAsync(new() { [PgPath] = stored }, rowsRecorded ? new() { [PgPath] = recorded } : null,
            written: damage == "flipped" ? new() { [PgPath] = dump } : null);

        Assert.False(report.Passed);
        Assert.Contains(report.Errors, e => e.Check == check && e.Artifact == PgPath);
    }

    [Fact]
    public async Task VerifyAsync_EmptyTableOfContentsWithRowsRecorded_Fails()
    {
        var report = await VerifyAsync(new() { [PgPath] = new PgArchiveBuilder(14).Build() },
            new() { [PgPath] = new DumpContents { Tables = [new("public", "a", 1)] } });

        Assert.Contains(report.Errors, e => e.Message == "the table of contents is empty: the dump holds nothing");
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

    private async Task<string> SeededDatabaseAsync()
    {
        var pg = PostgresServer.UniqueDatabaseName();
        await postgres.CreateDatabaseAsync(pg);
        await postgres.SeedAsync(pg, 400);
        return pg;
    }

    /// <summary>Where the dump's last data block starts: the reader names it when the dump is cut one byte short.</summary>
    private static async Task<int> StartOfTheLastBlockAsync(byte[] dump)
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.WalkAsync(new MemoryStream(dump, 0, dump.Length - 1)));
        return int.Parse(Regex.Match(e.Message, @"from byte (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A copy of <paramref name="dump"/> with one byte inside the compressed payload of a data block flipped: the framing is intact.</summary>
    private static async Task<byte[]> DamageZlibPayloadAsync(byte[] dump)
    {
        // The seeded large table's block is most of the dump's second half: a flip there lands inside a chunk unless it hits a
        // chunk's length (pg_dump writes zlib output in chunks of up to 4 KiB), so try a few places.
        for (var at = dump.Length * 3 / 4; at < dump.Length * 7 / 8; at += 97)
        {
            var copy = dump.ToArray();
            copy[at] ^= 0x5A;
            if (await CompleteAsync(PgDumpArchive.WalkAsync, copy) && !await CompleteAsync(PgDumpArchive.ReadAsync, copy))
            {
                return copy;
            }
        }

        throw new InvalidOperationException("no byte inside a payload found");

        static async Task<bool> CompleteAsync(Func<Stream, CancellationToken, Task<PgDumpContents>> read, byte[] bytes)
        {
            try
            {
                return (await read(new MemoryStream(bytes), default)).DataComplete;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A backup of the fakes' cluster with <paramref name="dumps"/> added to the store and its manifest: sizes and hashes
    /// those of <paramref name="written"/> (by default the bytes stored), and for the paths in <paramref name="recorded"/> the
    /// dump's capture-time contents, verified.
    /// </summary>
    private async Task<VerificationReport> VerifyAsync(
        Dictionary<string, byte[]> dumps, Dictionary<string, DumpContents>? recorded = null, Dictionary<string, byte[]>? written = null)
    {
        await _plane.AddClusterAsync("prod", 2);
        var request = _plane.Request("ci-db");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        var entries = new List<ArtifactEntry>();
        var databases = new List<DatabaseDump>();
        foreach (var (path, bytes) in dumps)
        {
            _plane.Store.Artifacts[record.Location + path] = bytes;
            var asWritten = written?.GetValueOrDefault(path) ?? bytes;
            var entry = new ArtifactEntry(path, asWritten.Length, Convert.ToHexStringLower(SHA256.HashData(asWritten)));
            entries.Add(entry);
            if (recorded?.GetValueOrDefault(path) is { } contents)
            {
                databases.Add(new DatabaseDump
                {
                    Target = "postgres", Engine = DatabaseEngine.PostgreSql, Namespace = "shop", Database = "app", Path = path, Size = entry.Size,
                    Sha256 = entry.Sha256, RanIn = "this host", StartedAt = _plane.Clock.GetUtcNow(), Duration = TimeSpan.FromSeconds(1), Contents = contents,
                });
            }
        }

        var key = record.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(_plane.Store.Artifacts[key], key);
        manifest = manifest with { Artifacts = [.. manifest.Artifacts, .. entries], Databases = databases.Count > 0 ? databases : manifest.Databases };
        _plane.Store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest);
        return await new BackupVerifier(_plane.Store, _plane.Clock).VerifyAsync(record);
    }
}

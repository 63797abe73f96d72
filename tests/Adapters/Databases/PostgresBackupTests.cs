using Strata.Core.Artifacts;
using Strata.Core.Databases;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Verification;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// PostgreSQL dumps end to end, against a real server: through <c>pods/exec</c> of a sandbox pod (and directly from
/// this host), streamed into the store, read on the way, verified, restorable with plain <c>pg_restore</c>; and every
/// way a dump fails is one clear line with nothing committed.
/// </summary>
public sealed class PostgresBackupTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static string Policy(string database, string extra = "", string auth = "passwordSecret: { name: pg-auth, key: password }") => $$"""
          - name: pg
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            databases:
              - name: main
                namespace: db
                pod: postgres-0
                container: postgres
                {{auth}}
                databases: [{{database}}]
        {{extra}}
        """;

    [Fact]
    public async Task Backup_ExecTarget_DumpsThroughPodsExec_CommitsAVerifiedDumpThatPlainPgRestoreReads()
    {
        var source = await CreateAsync("exec_source");
        await server.SeedAsync(source, rows: 20_000);
        await using var world = await PostgresWorld.StartAsync(server, Policy(source));

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.Verified, record.Status);
        var manifest = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!;
        var dump = Assert.Single(manifest.Databases!);
        Assert.Equal(($"databases/db/main/{source}.dump", "main", DatabaseEngine.PostgreSql, source), (dump.Path, dump.Target, dump.Engine, dump.Database));
        Assert.Equal("pod db/postgres-0 (container postgres)", dump.RanIn);
        Assert.StartsWith("15.", dump.ServerVersion, StringComparison.Ordinal);
        Assert.Contains(manifest.Artifacts, a => a.Path == dump.Path && a.Size == dump.Size && a.Sha256 == dump.Sha256);
        var expected = await server.RowCountsAsync(source);
        Assert.Equal(expected.OrderBy(p => p.Key), dump.Contents!.Tables.Where(t => t.Rows is not null).Select(t => KeyValuePair.Create(t.QualifiedName, t.Rows ?? -1)).OrderBy(p => p.Key));

        // Restorable without Strata: plain pg_restore of the stored file.
        var copy = await CreateAsync("exec_plain_restore");
        var file = Path.Combine(world.Store, record.Location, dump.Path);
        await server.RestoreAsync(copy, await File.ReadAllBytesAsync(file));
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(copy));
    }

    [Fact]
    public async Task Backup_DirectTarget_DumpsFromThisHost_WithThePasswordFromAReference()
    {
        var source = await CreateAsync("direct_source");
        await server.SeedAsync(source, rows: 500);
        var policy = $$"""
              - name: pg
                clusters: [prod]
                schedule: "30 2 * * *"
                scope: { includeNamespaces: [db] }
                databases:
                  - name: managed
                    executor: direct
                    host: {{server.Host}}
                    port: {{server.Port}}
                    user: {{server.User}}
                    password: { env: PG_PASSWORD }
                    databases: [{{source}}]
            """;
        await using var world = await PostgresWorld.StartAsync(server, policy);

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.Verified, record.Status);
        var dump = Assert.Single((await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!.Databases!);
        Assert.Equal(("this host", $"databases/direct/managed/{source}.dump"), (dump.RanIn, dump.Path));
        Assert.Equal((await server.RowCountsAsync(source)).Values.Sum(), dump.Contents!.TotalRows);
    }

    [Fact]
    public async Task Backup_ExecTargetWithoutPassword_SignsInWithThePodsOwnLocalAuth()
    {
        // A role with no password at all, trusted over the server's Unix socket only (TCP stays scram): as a database
        // image trusts its own socket. The target names no passwordSecret and no password.
        const string user = "strata_local";
        await server.TrustLocalAsync(user);
        var source = await CreateAsync("local_auth");
        await server.SeedAsync(source, rows: 700);
        await using var world = await PostgresWorld.StartAsync(server, Policy(source, auth: $"user: {user}"), PostgresPod.BindLocal(server, user));

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)) + record.Error);
        var dump = Assert.Single((await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!.Databases!);
        Assert.Equal("pod db/postgres-0 (container postgres)", dump.RanIn);
        Assert.Equal((await server.RowCountsAsync(source)).Values.Sum(), dump.Contents!.TotalRows);
        var copy = await CreateAsync("local_auth_copy");
        await server.RestoreAsync(copy, await File.ReadAllBytesAsync(Path.Combine(world.Store, record.Location, dump.Path)));
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(copy));
    }

    [Fact]
    public async Task Backup_ExecTargetWithoutPassword_SocketNotTrusted_FailsWithTheServersWords()
    {
        // The same target on a socket that asks for a password: the dump fails, and says why, rather than hanging on a prompt.
        var source = await CreateAsync("local_auth_refused");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source, auth: $"user: {server.User}"), PostgresPod.BindLocal(server, server.User));

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains("no password supplied", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_WrongPassword_PartiallyFailedWithTheServersWords_AndNoDumpCommitted()
    {
        var source = await CreateAsync("wrong_password");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source), password: "not-the-password");

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains("password authentication failed", problem.Message, StringComparison.Ordinal);
        Assert.Equal((ProblemReasons.DumpFailed, "databases", "db"), (problem.Reason, problem.Resource, problem.Namespace));
        Assert.DoesNotContain("not-the-password", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Artifacts!, a => a.Path.StartsWith("databases/", StringComparison.Ordinal));
        var folder = Path.Combine(world.Store, record.Location, "databases");
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : []);
    }

    [Theory]
    [InlineData("missing-secret", "Secret db/absent (its passwordSecret) not found")]
    [InlineData("missing-key", "Secret db/pg-auth has no key 'nope'")]
    [InlineData("missing-pod", "pod db/postgres-9 not found")]
    public async Task Backup_TargetCannotBeReached_OneClearLine_NothingCommitted(string broken, string expected)
    {
        var source = await CreateAsync($"unreachable_{broken.Replace('-', '_')}");
        var policy = Policy(source) switch
        {
            var p when broken == "missing-secret" => p.Replace("name: pg-auth", "name: absent", StringComparison.Ordinal),
            var p when broken == "missing-key" => p.Replace("key: password", "key: nope", StringComparison.Ordinal),
            var p => p.Replace("pod: postgres-0", "pod: postgres-9", StringComparison.Ordinal),
        };
        await using var world = await PostgresWorld.StartAsync(server, policy);

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal($"database target db/main: {expected}", problem.Message);
        Assert.Equal(ProblemReasons.DatabaseUnreachable, problem.Reason);
    }

    [Fact]
    public async Task Backup_ContainerWithoutPgDump_SaysTheToolIsMissing()
    {
        var source = await CreateAsync("no_tools");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source), PostgresWorld.ShellOnly(server));

        var record = await PostgresWorld.BackupAsync(world, "pg");

        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.True(problem.Reason == ProblemReasons.ToolMissing, problem.Message);
        Assert.Contains($"database {source} of db/main: pg_dump is not installed in pod db/postgres-0 (container postgres)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_ExecStreamDropsHalfway_NoDumpCommitted_AndTheBackupNeverCountsGood()
    {
        var source = await CreateAsync("dropped");
        await server.SeedAsync(source, rows: 5_000);
        await using var world = await PostgresWorld.StartAsync(server, Policy(source), async (session, ct) =>
        {
            // The dump starts, then the connection to the kubelet is lost.
            await Task.Delay(100, ct);
            await session.Stdout.WriteAsync("PGDMP\u0001\u000e\u0000\u0004\u0008\u0001"u8.ToArray(), ct);
            await session.Stdout.FlushAsync(ct);
            session.Abort();
            return 0;
        });

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.True(record.Status == BackupStatus.PartiallyFailed, string.Join("\n", record.Problems.Select(p => p.Message)) + record.Error);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains("did not finish: the exec stream ended before the command's exit status arrived", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Artifacts!, a => a.Path.StartsWith("databases/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_DumpTruncatedInTheStore_FailsVerification()
    {
        var source = await CreateAsync("truncated_later");
        await server.SeedAsync(source, rows: 2_000);
        await using var world = await PostgresWorld.StartAsync(server, Policy(source));
        var record = await PostgresWorld.BackupAsync(world, "pg");
        var dump = Assert.Single((await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!.Databases!);
        var file = Path.Combine(world.Store, record.Location, dump.Path);
        File.SetAttributes(file, FileAttributes.Normal);
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length / 2)]);

        var report = await new BackupVerifier(world.Location.Artifacts, TimeProvider.System).VerifyAsync(record);

        Assert.False(report.Passed);
        Assert.Contains(report.Findings, f => f.Artifact == dump.Path);
    }

    [Fact]
    public async Task Drill_ScratchNameTakenByADatabaseStrataDidNotMark_FailsAndLeavesItAlone()
    {
        var source = await CreateAsync("drill_taken");
        await server.SeedAsync(source, rows: 10);
        await using var world = await PostgresWorld.StartAsync(server, Policy(source));
        var record = await PostgresWorld.BackupAsync(world, "pg");
        var manifest = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!;
        var shortId = Guid.NewGuid().ToString("N")[..6];
        var taken = DatabaseDrill.ScratchPrefix + shortId;
        await server.CreateDatabaseAsync(taken);
        await server.ExecuteAsync(taken, "create table precious (id int); insert into precious values (1)");
        var client = await world.Context.Clusters.ConnectAsync(world.Context.Configuration.FindCluster("prod")!);
        var connector = new DatabaseConnector(client, client, world.Context.HostCommands, world.Context.Secrets);
        var targets = world.Context.Configuration.FindPolicy("pg")!.Databases;

        var result = Assert.Single(await new DatabaseDrill(connector, world.Location.Artifacts, TimeProvider.System)
            .RunAsync(manifest, record.Location, targets, "drill-1", shortId, keepOnFailure: false));

        Assert.False(result.Passed);
        Assert.Contains($"database {taken} exists on db/main (pod db/postgres-0 (container postgres)) and is not a Strata scratch database", result.Error, StringComparison.Ordinal);
        Assert.False(result.Dropped);
        Assert.Equal(1L, await server.QueryScalarAsync<long>(taken, "select count(*) from precious"));
    }

    [Fact]
    public async Task Backup_PasswordWithATrailingNewline_OneLineNamingTheSecret_TheObjectsStillCommitted()
    {
        var source = await CreateAsync("newline_password");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source), password: server.Password + "\n");

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal("database target db/main: the password in key 'password' of Secret db/pg-auth contains a line break "
            + "(a trailing newline from a file, as 'kubectl create secret --from-file' keeps?): no client tool can use it", problem.Message);
        Assert.DoesNotContain(server.Password, problem.Message, StringComparison.Ordinal);
        Assert.True(record.ObjectCount > 0);
    }

    [Fact]
    public async Task Backup_ToolExitsZeroButItsOutputWasCutShort_NothingCommitted()
    {
        var source = await CreateAsync("cut_short");
        await server.SeedAsync(source, rows: 3_000);
        var whole = await server.PgDumpAsync(source, "--format=custom");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source), async (session, ct) =>
        {
            // What an exec stream that lost its tail looks like: the bytes stop, and the status still says 0.
            await session.Stdout.WriteAsync(whole.AsMemory(0, whole.Length * 2 / 3), ct);
            return 0;
        });

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(ProblemReasons.DumpUnreadable, problem.Reason);
        Assert.Contains("pg_dump exited 0, but what it wrote is not a whole dump", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Artifacts!, a => a.Path.StartsWith("databases/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drill_TableNamesWithTabsAndLineBreaks_RowCountsStillCompare()
    {
        var source = await CreateAsync("odd_tables");
        await server.ExecuteAsync(source, "create table \"odd\nname\" (id int); insert into \"odd\nname\" values (1), (2); create table \"tab\there\" (id int); insert into \"tab\there\" values (3)");
        await using var world = await PostgresWorld.StartAsync(server, Policy(source));
        var record = await PostgresWorld.BackupAsync(world, "pg");
        var manifest = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!;
        var client = await world.Context.Clusters.ConnectAsync(world.Context.Configuration.FindCluster("prod")!);
        var connector = new DatabaseConnector(client, client, world.Context.HostCommands, world.Context.Secrets);
        var target = world.Context.Configuration.FindPolicy("pg")!.Databases[0] with { DrillQueries = [new DrillQuery { Database = source, EqualsBackup = true }] };

        var result = Assert.Single(await new DatabaseDrill(connector, world.Location.Artifacts, TimeProvider.System)
            .RunAsync(manifest, record.Location, [target], "drill-2", Guid.NewGuid().ToString("N")[..6], keepOnFailure: false));

        Assert.True(result.Passed, result.Error + string.Join("; ", result.Queries.Select(q => q.Found)));
        Assert.Equal("2 tables, 3 rows, as in the dump", Assert.Single(result.Queries).Found);
        Assert.True(result.Dropped);
    }

    private async Task<string> CreateAsync(string prefix)
    {
        var name = PostgresServer.UniqueDatabaseName(prefix);
        await server.CreateDatabaseAsync(name);
        return name;
    }
}

using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Databases;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// MariaDB through the same seam, against a real server: <c>mariadb-dump</c> in "the pod" (exec bound to this host),
/// streamed and read (rows, the completion trailer), verified; a drill into a scratch schema with the policy's
/// queries; a restore into a new schema that equals the source.
/// </summary>
public sealed class MariaDbBackupTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static string Policy(string database) => $$"""
          - name: maria
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            databases:
              - name: shop
                engine: mariadb
                namespace: db
                pod: mariadb-0
                container: mariadb
                passwordSecret: { name: maria-auth, key: password }
                databases: [{{database}}]
                drill:
                  queries:
                    - { equalsBackup: true }
            verification:
              drill: { readiness: false, timeout: 2m }
        """;

    [Fact]
    public async Task BackupDrillRestore_MariaDbThroughExec_VerifiedDumpWhoseRowsEqualTheServers_DrillPasses_RestoreEqualsTheSource()
    {
        var source = MariaDbServer.UniqueDatabaseName("maria_source");
        await server.CreateDatabaseAsync(source);
        await server.SeedAsync(source, rows: 400);
        await using var world = await StartAsync(Policy(source));

        var backup = new Envelope("ci-1", "ci-1", world.Clock.GetUtcNow(), new BackupRequested("prod", "maria", RequestedBy: "test"));
        await InlinePipeline.RunAsync(world.Context, backup);
        var record = (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup)))!;

        Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)));
        var manifest = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!;
        var dump = Assert.Single(manifest.Databases!);
        Assert.Equal(($"databases/db/shop/{source}.sql", DatabaseEngine.MariaDb), (dump.Path, dump.Engine));
        Assert.StartsWith("10.", dump.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(await server.RowCountsAsync(source), dump.Contents!.Tables.ToDictionary(t => t.QualifiedName, t => t.Rows ?? -1));

        var drill = new Envelope("drill-1", "drill-1", world.Clock.GetUtcNow(), new VerifyRequested(record.Id, "prod", "maria", VerificationKind.Drill));
        await InlinePipeline.RunAsync(world.Context with { Time = TimeProvider.System }, drill);
        var drilled = (await world.Location.History.FindDrillAsync(DrillWorker.DrillIdFor(drill)))!;
        var result = Assert.Single(drilled.Databases);
        Assert.True(result.Passed, result.Error + string.Join("; ", result.Queries.Select(q => q.Found)));
        Assert.True(result.Dropped);
        Assert.Equal(0L, await server.QueryScalarAsync<long>(null, $"select count(*) from information_schema.schemata where schema_name = '{result.Scratch}'"));

        var client = await world.Context.Clusters.ConnectAsync(world.Context.Configuration.FindCluster("prod")!);
        var session = DatabaseSession.For(await new DatabaseConnector(client, client, world.Context.HostCommands, world.Context.Secrets)
            .ConnectAsync(world.Context.Configuration.FindPolicy("maria")!.Databases[0]));
        var copy = MariaDbServer.UniqueDatabaseName("maria_copy");
        await DumpRestore.RestoreAsync(session, world.Location.Artifacts, record.Location, dump, copy, clean: false);
        Assert.Equal(Unqualified(await server.ChecksumsAsync(source)), Unqualified(await server.ChecksumsAsync(copy)));
    }

    [Fact]
    public async Task BackupRestore_DatabaseNameThatLooksLikeAnOption_IsNeverReadAsOne()
    {
        // A tenant's database named like a client option: as a bare argument, '-e…' would run SQL and '-r…' write a file.
        const string Source = "-edrop database strata_victim";
        await server.CreateDatabaseAsync("strata_victim");
        await server.CreateDatabaseAsync(Source);
        await server.ExecuteAsync(Source, "create table t (id int); insert into t values (1), (2), (3)");
        await using var world = await StartAsync(Policy("'-edrop database strata_victim'"));

        var backup = new Envelope("ci-2", "ci-2", world.Clock.GetUtcNow(), new BackupRequested("prod", "maria", RequestedBy: "test"));
        await InlinePipeline.RunAsync(world.Context, backup);
        var record = (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup)))!;

        Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)));
        var dump = Assert.Single((await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!.Databases!);
        Assert.Equal(3, dump.Contents!.TotalRows);
        var client = await world.Context.Clusters.ConnectAsync(world.Context.Configuration.FindCluster("prod")!);
        var session = DatabaseSession.For(await new DatabaseConnector(client, client, world.Context.HostCommands, world.Context.Secrets)
            .ConnectAsync(world.Context.Configuration.FindPolicy("maria")!.Databases[0]));
        await DumpRestore.RestoreAsync(session, world.Location.Artifacts, record.Location, dump, "-rrestored here", clean: false);
        Assert.Equal(3L, await server.QueryScalarAsync<long>("-rrestored here", "select count(*) from t"));
        Assert.Equal(1L, await server.QueryScalarAsync<long>(null, "select count(*) from information_schema.schemata where schema_name = 'strata_victim'"));
    }

    private static Dictionary<string, string> Unqualified(IReadOnlyDictionary<string, string> sums) =>
        sums.ToDictionary(s => s.Key[(s.Key.IndexOf('.', StringComparison.Ordinal) + 1)..], s => s.Value);

    private async Task<ControlPlaneWorld> StartAsync(string policies)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        // Inside a MariaDB pod the tools reach the server on the local socket its own configuration names: here, a
        // ~/.my.cnf naming the fixture's socket stands in for the container's (this host's /etc/mysql names another).
        Directory.CreateDirectory(Path.Combine(world.Dir.Path, "home"));
        world.Dir.File("home/.my.cnf", $"[client]\nsocket = {server.SocketPath}\n");
        SampleApplication.DatabasePod(world.Prod, "db", "mariadb-0", "mariadb", "maria-auth", server.Password, new HostProcessExec
        {
            Environment = new Dictionary<string, string> { ["HOME"] = Path.Combine(world.Dir.Path, "home") },
        }.RunAsync);
        await world.LoadAsync();
        return world;
    }
}

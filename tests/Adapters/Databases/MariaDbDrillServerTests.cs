using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// A MariaDB target's database drill onto its <c>drill.server</c>: a second real MariaDB reached directly from this host,
/// while the target's own server is reached through <c>pods/exec</c> — the scratch schema is created, checked and
/// dropped there, never on the source.
/// </summary>
public sealed class MariaDbDrillServerTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Drill_DirectDrillServer_ScratchCreatedAndDroppedThere_NotOnTheSource()
    {
        var drillServer = new MariaDbServer();
        await drillServer.InitializeAsync();
        try
        {
            var source = MariaDbServer.UniqueDatabaseName("maria_drilled");
            await server.CreateDatabaseAsync(source);
            await server.SeedAsync(source, rows: 200);
            // The drill server's statements are kept in a table, to read what was created and dropped there.
            await drillServer.ExecuteAsync(null, "set global log_output = 'TABLE'; set global general_log = 1");
            await using var world = await StartAsync($$"""
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
                        databases: [{{source}}]
                        drill:
                          server: { executor: direct, host: {{drillServer.Host}}, port: {{drillServer.Port}}, user: {{drillServer.User}}, password: { env: DRILL_PASSWORD } }
                          queries:
                            - { equalsBackup: true }
                    verification:
                      drill: { readiness: false, timeout: 2m }
                """);
            world.Variables["DRILL_PASSWORD"] = drillServer.Password;
            var backup = new Envelope("ci-1", "ci-1", world.Clock.GetUtcNow(), new BackupRequested("prod", "maria", RequestedBy: "test"));
            await InlinePipeline.RunAsync(world.Context, backup);
            var record = (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup)))!;
            Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)));

            var drill = new Envelope("drill-1", "drill-1", world.Clock.GetUtcNow(), new VerifyRequested(record.Id, "prod", "maria", VerificationKind.Drill));
            await InlinePipeline.RunAsync(world.Context with { Time = TimeProvider.System }, drill);

            var result = Assert.Single((await world.Location.History.FindDrillAsync(DrillWorker.DrillIdFor(drill)))!.Databases);
            Assert.True(result.Passed, result.Error + string.Join("; ", result.Queries.Select(q => q.Found)));
            Assert.True(result.Dropped);
            Assert.Equal("db/shop's drill server (this host)", result.RanIn);
            Assert.Equal(1L, await drillServer.QueryScalarAsync<long>(null, $"select count(*) from mysql.general_log where argument like 'create database `{result.Scratch}`%'"));
            Assert.Equal(1L, await drillServer.QueryScalarAsync<long>(null, $"select count(*) from mysql.general_log where argument like 'drop database if exists `{result.Scratch}`%'"));
            foreach (var each in new[] { server, drillServer })
            {
                Assert.Equal(0L, await each.QueryScalarAsync<long>(null, $"select count(*) from information_schema.schemata where schema_name = '{result.Scratch}'"));
            }
        }
        finally
        {
            await drillServer.DisposeAsync();
        }
    }

    private async Task<ControlPlaneWorld> StartAsync(string policies)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        // As in MariaDbBackupTests: inside "the pod" the tools reach the source on the socket a ~/.my.cnf names.
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

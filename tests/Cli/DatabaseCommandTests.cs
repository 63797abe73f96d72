using System.Text.Json.Nodes;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// A policy with a PostgreSQL database, through the CLI: <c>backup create --policy</c> dumps it through <c>pods/exec</c>
/// of a sandbox pod bound to a real server; <c>drill run</c> restores the dump into a scratch database, runs the
/// policy's queries, measures the RTO and drops it — on the target's own server, or on the drill server its
/// <c>drill.server</c> names (a second real server); <c>restore create --database</c> streams it into a new database,
/// through another pod with <c>--to-pod</c>.
/// </summary>
public sealed class DatabaseCommandTests(PostgresServer server, SecondPostgresServer second) : IClassFixture<PostgresServer>, IClassFixture<SecondPostgresServer>
{
    private static string Policy(string database, string drillServer = "", string drillTarget = "") => $$"""
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            databases:
              - name: main
                namespace: db
                pod: postgres-0
                container: postgres
                passwordSecret: { name: pg-auth, key: password }
                databases: [{{database}}]
                drill:
                  {{drillServer}}
                  queries:
                    - { equalsBackup: true }
                    - { sql: "select count(*) from sales.orders", expect: ">= 300" }
            verification:
              drill: { {{drillTarget}}readiness: false, timeout: 2m }
        """;

    [Fact]
    public async Task BackupDrillRestore_PostgresThroughExec_DrillPassesAndDropsItsScratch_RestoreEqualsTheSource()
    {
        var source = await CreateAsync("cli_source");
        await server.SeedAsync(source, rows: 300);
        await using var world = await StartAsync(Policy(source));

        var (backupCode, backupOut, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
        Assert.True(backupCode == 0, backupError);
        var backup = JsonNode.Parse(backupOut)!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var backupId = backup["id"]!.GetValue<string>();

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
        Assert.True(drillCode == 0, drillError + drillOut);
        var database = JsonNode.Parse(drillOut)!["databases"]!.AsArray().Single()!;
        Assert.True(database["passed"]!.GetValue<bool>(), database.ToJsonString());
        Assert.True(database["dropped"]!.GetValue<bool>());
        Assert.True(database["rtoSeconds"]!.GetValue<double>() >= database["restoreSeconds"]!.GetValue<double>());
        var scratch = database["scratch"]!.GetValue<string>();
        Assert.StartsWith("strata_drill_", scratch, StringComparison.Ordinal);
        Assert.Equal(0L, await server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_database where datname = '{scratch}'"));

        var target = PostgresServer.UniqueDatabaseName("cli_restored");
        var (restoreCode, restoreOut, restoreError) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", target);
        Assert.True(restoreCode == 0, restoreError);
        Assert.Contains($"into database {target}", restoreOut, StringComparison.Ordinal);
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(target));
        Assert.StartsWith($"{PostgresDataset.LargeObjects} large objects, md5 ", (await server.ChecksumsAsync(target))[PostgresServer.LargeObjectsKey], StringComparison.Ordinal);

        // The same again is refused: the database is not empty, and --clean was not given.
        var (againCode, _, againError) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", target);
        Assert.Equal(2, againCode);
        Assert.Contains($"database {target} on db/main (pod db/postgres-0 (container postgres)) is not empty: restoring over it needs --clean", againError, StringComparison.Ordinal);

        var (cleanCode, _, cleanError) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", target, "--clean");
        Assert.True(cleanCode == 0, cleanError);
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(target));
    }

    [Fact]
    public async Task DrillRun_DrillServerOnTheDrillTargetCluster_ScratchCreatedAndDroppedThere_NotOnTheSource()
    {
        var source = await CreateAsync("cli_drill_server");
        await server.SeedAsync(source, rows: 300);
        // The drill server names no cluster: it is on the drill's target, dr, where its pod is (prod has no such pod).
        var policy = Policy(source,
            drillServer: "server: { namespace: drills, pod: postgres-drill-0, container: postgres, passwordSecret: { name: pg-auth, key: password } }",
            drillTarget: "target: dr, ");
        await using var world = await StartAsync(policy);
        PostgresPod.Create(world.Dr, second.Server, "drills", "postgres-drill-0");
        var (backupCode, _, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);
        Assert.True(backupCode == 0, backupError);

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(drillCode == 0, drillError + drillOut);
        var database = JsonNode.Parse(drillOut)!["databases"]!.AsArray().Single()!;
        Assert.True(database["passed"]!.GetValue<bool>(), database.ToJsonString());
        Assert.True(database["dropped"]!.GetValue<bool>());
        Assert.Equal("db/main's drill server (pod drills/postgres-drill-0 (container postgres))", database["ranIn"]!.GetValue<string>());
        var scratch = database["scratch"]!.GetValue<string>();
        var log = await second.Server.LogAsync();
        Assert.Contains($"create database \"{scratch}\" template template0", log, StringComparison.Ordinal);
        Assert.Contains($"drop database if exists \"{scratch}\" with (force)", log, StringComparison.Ordinal);
        Assert.Equal(0L, await second.Server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_database where datname = '{scratch}'"));
        Assert.Equal(0L, await server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_database where datname = '{scratch}'"));
    }

    [Fact]
    public async Task RestoreCreate_ToPod_RestoresThroughThatPod()
    {
        var source = await CreateAsync("cli_to_pod");
        await server.SeedAsync(source, rows: 300);
        await using var world = await StartAsync(Policy(source));
        var execs = 0;
        var bound = PostgresPod.Bind(server);
        PostgresPod.AddPod(world.Prod, "db", "postgres-1", (session, ct) =>
        {
            Interlocked.Increment(ref execs);
            return bound(session, ct);
        });
        var backupId = await BackupAsync(world);

        var target = PostgresServer.UniqueDatabaseName("cli_to_pod_restored");
        var (code, _, error) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", target, "--to-pod", "postgres-1");

        Assert.True(code == 0, error);
        Assert.Contains($"into {target} on db/main (pod db/postgres-1 (container postgres))", error, StringComparison.Ordinal);
        Assert.True(execs > 0, "nothing ran in pod db/postgres-1");
        Assert.Equal(await server.ChecksumsAsync(source), await server.ChecksumsAsync(target));
    }

    [Theory]
    [InlineData("--to-pod", "postgres-0")]
    [InlineData("--to-cluster", "dr")]
    public async Task RestoreCreate_DirectTargetMoved_RefusedAndNothingRestored(string option, string value)
    {
        var source = await CreateAsync("cli_direct");
        await server.SeedAsync(source, rows: 50);
        var policy = $$"""
              - name: nightly
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
        await using var world = await StartAsync(policy);
        world.Variables["PG_PASSWORD"] = server.Password;
        var backupId = await BackupAsync(world);

        var target = PostgresServer.UniqueDatabaseName("cli_direct_moved");
        var (code, _, error) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"direct/managed/{source}", "--to-database", target, option, value);

        Assert.Equal(2, code);
        Assert.Contains($"target 'managed' is a direct one (host {server.Host}): --to-pod and --to-cluster do not move it", error, StringComparison.Ordinal);
        Assert.Equal(0L, await server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_database where datname = '{target}'"));
    }

    private static async Task<string> BackupAsync(ControlPlaneWorld world)
    {
        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
        Assert.True(code == 0, error);
        var backup = JsonNode.Parse(output)!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        return backup["id"]!.GetValue<string>();
    }

    private async Task<ControlPlaneWorld> StartAsync(string policies)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        PostgresPod.Create(world.Prod, server, "db", "postgres-0");
        await world.LoadAsync();
        return world;
    }

    private async Task<string> CreateAsync(string prefix)
    {
        var name = PostgresServer.UniqueDatabaseName(prefix);
        await server.CreateDatabaseAsync(name);
        return name;
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

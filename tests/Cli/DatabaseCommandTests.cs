using System.Text.Json.Nodes;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// A policy with a PostgreSQL database, through the CLI: <c>backup create --policy</c> dumps it through <c>pods/exec</c>
/// of a sandbox pod bound to a real server; <c>drill run</c> restores the dump into a scratch database, runs the
/// policy's queries, measures the RTO and drops it; <c>restore create --database</c> streams it into a new database.
/// </summary>
public sealed class DatabaseCommandTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static string Policy(string database) => $$"""
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
                  queries:
                    - { equalsBackup: true }
                    - { sql: "select count(*) from sales.orders", expect: ">= 300" }
            verification:
              drill: { readiness: false, timeout: 2m }
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

using Strata.Core.Artifacts;
using Strata.Core.Runs;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// <c>allDatabases: true</c> on a server of its own: every database that accepts connections (templates aside) is
/// dumped, in one consistent snapshot each (<c>--serializable-deferrable</c> here), plus the roles and tablespaces
/// (<c>pg_dumpall --globals-only</c>) that a restore onto a new server needs first.
/// </summary>
public sealed class PostgresAllDatabasesTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Backup_AllDatabases_DumpsEachDatabaseAndTheGlobals()
    {
        await server.CreateDatabaseAsync("billing");
        await server.SeedAsync("billing", rows: 50);
        await server.CreateDatabaseAsync("odd name");
        await server.ExecuteAsync("odd name", "create table t (id int); insert into t values (1), (2)");
        const string Policy = """
              - name: pg
                clusters: [prod]
                schedule: "30 2 * * *"
                scope: { includeNamespaces: [db] }
                databases:
                  - name: main
                    namespace: db
                    pod: postgres-0
                    container: postgres
                    passwordSecret: { name: pg-auth, key: password }
                    allDatabases: true
                    serializableDeferrable: true
            """;
        await using var world = await PostgresWorld.StartAsync(server, Policy);

        var record = await PostgresWorld.BackupAsync(world, "pg");

        Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)));
        var dumps = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!.Databases!;
        Assert.Equal(
            ["databases/db/main/billing.dump", "databases/db/main/globals.sql", "databases/db/main/odd%20name.dump", "databases/db/main/postgres.dump"],
            dumps.Select(d => d.Path).Order(StringComparer.Ordinal));
        Assert.Null(dumps.Single(d => d.Path.EndsWith("globals.sql", StringComparison.Ordinal)).Database);
        Assert.Equal(2, dumps.Single(d => d.Database == "odd name").Contents!.TotalRows);
        var globals = await File.ReadAllTextAsync(Path.Combine(world.Store, record.Location, "databases/db/main/globals.sql"));
        Assert.Contains("CREATE ROLE", globals, StringComparison.Ordinal);
    }
}

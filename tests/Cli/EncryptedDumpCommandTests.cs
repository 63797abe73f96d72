using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Strata.Core.Encryption;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>encrypt: all</c> with a PostgreSQL dump through the CLI: the dump is stored whole in the chunked format (no
/// <c>PGDMP</c> header in the store), a database restore decrypts it as it streams, and a truncated dump is refused by
/// verification, by the database restore and by the drill, each naming the artifact.
/// </summary>
public sealed class EncryptedDumpCommandTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static string Policies(string database) => $$"""
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            encrypt: all
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
            verification:
              drill: { readiness: false, timeout: 2m }
        encryption:
          keys:
            - name: local
              secret: { env: STRATA_KEK }
          signing:
            hmac: { env: STRATA_SIGNING_KEY }
        """;

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task EncryptAll_PostgresDump_StoredEncrypted_RestoresDecrypted_TruncatedIsRefusedNamed()
    {
        var source = PostgresServer.UniqueDatabaseName("enc_source");
        await server.CreateDatabaseAsync(source);
        await server.SeedAsync(source, rows: 200);
        await using var world = await ControlPlaneWorld.StartAsync(Policies(source));
        world.Variables["STRATA_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        world.Variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        PostgresPod.Create(world.Prod, server, "db", "postgres-0");
        await world.LoadAsync();

        var (backupCode, backupOut, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
        Assert.True(backupCode == 0, backupError + backupOut);
        var backup = JsonNode.Parse(backupOut)!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var backupId = backup["id"]!.GetValue<string>();
        var dump = backup["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>().StartsWith("databases/", StringComparison.Ordinal))!;
        var dumpFile = Path.Combine(world.Store, dump["key"]!.GetValue<string>());
        var stored = await File.ReadAllBytesAsync(dumpFile);
        Assert.Equal("STRATAE1"u8.ToArray(), stored[..8]); // the chunked format, not pg_dump's PGDMP
        Assert.True(stored.Length > dump["size"]!.GetValue<long>(), "the stored dump is the plaintext plus the format's header and tags");

        var restored = PostgresServer.UniqueDatabaseName("enc_restored");
        var (restoreCode, restoreOut, restoreError) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", restored);
        Assert.True(restoreCode == 0, restoreError);
        Assert.Contains("checking the encrypted dump", restoreError);
        Assert.Contains("checked against the manifest before it was applied", restoreOut);
        Assert.Equal(200L, await server.QueryScalarAsync<long>(restored, "select count(*) from sales.orders"));

        // Truncated: the last chunk (and its final flag) is gone.
        File.SetAttributes(dumpFile, FileAttributes.Normal);
        await File.WriteAllBytesAsync(dumpFile, stored[..^(ChunkedFormat.TagSize + 10)]);

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod",
            "--backup", backupId, "--store", world.Store, "-o", "json");
        Assert.True(drillCode != 0, drillError + drillOut);
        Assert.Contains(dump["path"]!.GetValue<string>(), drillOut + drillError);

        var again = PostgresServer.UniqueDatabaseName("enc_truncated");
        var (truncatedCode, _, truncatedError) = await RunAsync(world, "restore", "create", "--config", world.ConfigPath, "--store", world.Store,
            "--from-backup", backupId, "--database", $"db/main/{source}", "--to-database", again);
        Assert.Equal(2, truncatedCode);
        Assert.Contains(dump["path"]!.GetValue<string>(), truncatedError);
        Assert.Contains("nothing was restored", truncatedError);
        // Refused by the pre-read: the target database was never even created.
        Assert.Equal(0L, await server.QueryScalarAsync<long>("postgres", $"select count(*) from pg_database where datname = '{again}'"));

        var (verifyCode, verifyOut, verifyError) = await RunAsync(world, "backup", "verify", backupId, "--config", world.ConfigPath, "--store", world.Store, "-o", "json");
        Assert.True(verifyCode == 1, verifyError + verifyOut);
        var finding = JsonNode.Parse(verifyOut)!["verification"]!["findings"]!.AsArray().First(f => f!["check"]!.GetValue<string>() == "decryption")!;
        Assert.Equal(dump["path"]!.GetValue<string>(), finding["artifact"]!.GetValue<string>());
    }
}

using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;
using Strata.TestKit.Volumes;

namespace Strata.Cli.Tests;

/// <summary>
/// A database target with <c>consistency: application</c>, through the CLI and the backup worker: its claim is
/// snapshotted inside a real PostgreSQL online backup (pg_backup_start … pg_backup_stop through the pod's exec), and
/// the manifest keeps the <c>backup_label</c> the server returned.
/// </summary>
public sealed class ApplicationConsistentCommandTests(ArchivingPostgresServer archiving) : IClassFixture<ArchivingPostgresServer>
{
    private readonly PostgresServer _server = archiving.Server;

    private const string Policy = """
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
                databases: [postgres]
                consistency: application
                volumes: [pgdata]
        """;

    [Fact]
    public async Task BackupCreate_ApplicationConsistentTarget_SnapshotsItsClaimInsideAnOnlineBackup_AndKeepsTheBackupLabel()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50) } },
        });
        VolumeSnapshotCrds.Install(world.Prod);
        PostgresPod.Create(world.Prod, _server, "db", "postgres-0");
        world.Prod.Create(StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com"));
        world.Prod.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", "disk.csi.azure.com", isDefault: true));
        world.Prod.Create(StorageObjects.Claim("db", "pgdata", "managed-csi", "5Gi"));
        await world.LoadAsync();

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(code == 0, error + output);
        var id = JsonNode.Parse(output)!["id"]!.GetValue<string>();
        var (describeCode, describe, _) = await RunAsync(world, "backup", "describe", id, "--store", world.Store, "-o", "json");
        Assert.Equal(0, describeCode);
        var volume = JsonNode.Parse(describe)!["manifest"]!["volumes"]!.AsArray().Single()!;
        Assert.Equal(("pgdata", "application", true), (volume["claim"]!.GetValue<string>(), volume["consistency"]!.GetValue<string>().ToLowerInvariant(), volume["readyToUse"]!.GetValue<bool>()));
        var online = volume["onlineBackup"]!;
        Assert.Equal(("db/main", $"strata {id}"), (online["target"]!.GetValue<string>(), online["label"]!.GetValue<string>()));
        Assert.Contains($"LABEL: strata {id}", online["backupLabel"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(online["stopLsn"]);
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

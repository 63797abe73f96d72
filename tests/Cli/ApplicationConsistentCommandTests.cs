using System.Collections.Concurrent;
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

    /// <summary><see cref="Policy"/> with a hook pair on the database's pod around its snapshots.</summary>
    private static readonly string HookedPolicy = Policy.Replace("""
            scope: { includeNamespaces: [db] }
        """, """
            scope: { includeNamespaces: [db] }
            volumes:
              mode: snapshot
              hooks:
                - name: around-pg
                  namespace: db
                  pre: [{command: ["strata-test-hook", "pre"], onError: Fail}]
                  post: [{command: ["strata-test-hook", "post"], onError: Fail}]
        """, StringComparison.Ordinal);

    /// <summary>
    /// The whole order against the real server, read from the server itself at each step: the pod's pre hook runs with no
    /// backup in progress; when the VolumeSnapshot is created (an admission observer in the sandbox) Strata's
    /// <c>pg_backup_start</c> has returned and its backup is in progress, at a WAL position between the record's start and
    /// stop LSNs; the post hook runs once <c>pg_backup_stop</c> has returned (no backup in progress), and none is left
    /// after. The recorded <c>backup_label</c> starts where the record (and the server) say the backup started.
    /// </summary>
    [Fact]
    public async Task BackupCreate_ApplicationConsistentTargetWithHooks_TheSnapshotIsCreatedWhileTheServersBackupIsInProgress_BetweenThePreAndPostHooks()
    {
        await OnlineBackupProbe.PrepareAsync(_server);
        var steps = new ConcurrentQueue<(string Step, bool BackupInProgress, string? WalLsn)>();
        var snapshotObserver = new AdmissionPolicy("observe-volumesnapshots", request =>
        {
            if (request is { Operation: "CREATE", Resource: "volumesnapshots" })
            {
                // The sandbox calls admission synchronously, before it stores the object: the moment the VolumeSnapshot is created.
                var lsn = CurrentWalLsnAsync().GetAwaiter().GetResult();
                steps.Enqueue(("volumesnapshot created", OnlineBackupProbe.BackupInProgressAsync(_server).GetAwaiter().GetResult(), lsn));
            }

            return null;
        });
        await using var world = await ControlPlaneWorld.StartAsync(HookedPolicy, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50) } },
            Admission = [snapshotObserver],
        });
        VolumeSnapshotCrds.Install(world.Prod);
        // The database pod mounts its claim (so its hooks run around the claim's snapshot); its exec runs psql on this host.
        var psql = PostgresPod.Bind(_server);
        world.Prod.CreateNamespace("db");
        var pod = StorageObjects.Pod("db", "postgres-0", ["pgdata"], containers: ["postgres"]);
        pod["status"] = new JsonObject { ["phase"] = "Running" };
        world.Prod.Create(pod);
        world.Prod.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = PostgresPod.Secret, ["namespace"] = "db" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_server.Password)) },
        });
        world.Prod.BindExec("db", "postgres-0", async (session, cancellationToken) =>
        {
            if (session.Request.Command[0] != "strata-test-hook")
            {
                return await psql(session, cancellationToken);
            }

            steps.Enqueue(($"{session.Request.Command[1]} hook", await OnlineBackupProbe.BackupInProgressAsync(_server), null));
            return 0;
        });
        world.Prod.Create(StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com"));
        world.Prod.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", "disk.csi.azure.com", isDefault: true));
        world.Prod.Create(StorageObjects.Claim("db", "pgdata", "managed-csi", "5Gi"));
        await world.LoadAsync();
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(code == 0, error + output);
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server), "a backup is still in progress after the backup ended");
        Assert.Equal([("pre hook", false), ("volumesnapshot created", true), ("post hook", false)], steps.Select(s => (s.Step, s.BackupInProgress)));
        var id = JsonNode.Parse(output)!["id"]!.GetValue<string>();
        var (_, describe, _) = await RunAsync(world, "backup", "describe", id, "--store", world.Store, "-o", "json");
        var volume = JsonNode.Parse(describe)!["manifest"]!["volumes"]!.AsArray().Single()!;
        Assert.Equal("application", volume["consistency"]!.GetValue<string>().ToLowerInvariant());
        var online = volume["onlineBackup"]!;
        var (startLsn, stopLsn, backupLabel) = (online["startLsn"]!.GetValue<string>(), online["stopLsn"]!.GetValue<string>(), online["backupLabel"]!.GetValue<string>());
        var walFile = await _server.QueryScalarAsync<string>("postgres", $"select pg_walfile_name('{startLsn}')");
        Assert.StartsWith($"START WAL LOCATION: {startLsn} (file {walFile})\n", backupLabel, StringComparison.Ordinal);
        Assert.Contains($"LABEL: strata {id}\n", backupLabel, StringComparison.Ordinal);
        var atSnapshot = Lsn(steps.Single(s => s.WalLsn is not null).WalLsn!);
        Assert.True(Lsn(startLsn) <= atSnapshot && atSnapshot < Lsn(stopLsn), $"the snapshot was created at WAL {atSnapshot:X}, not between the backup's start {startLsn} and stop {stopLsn}");
    }

    private async Task<string> CurrentWalLsnAsync() => (await _server.QueryScalarAsync<string>("postgres", "select pg_current_wal_insert_lsn()::text"))!;

    private static ulong Lsn(string text) => OnlineBackupProbe.Lsn(text);

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

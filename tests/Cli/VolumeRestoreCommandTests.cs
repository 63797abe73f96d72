using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Volumes;

namespace Strata.Cli.Tests;

/// <summary>
/// Volumes end to end through the CLI, against a sandbox with the CSI snapshot CRDs and the simulated snapshot controller,
/// sidecars and provisioner: a namespace with a StatefulSet and three claims — one of a driver without a
/// VolumeSnapshotClass — is backed up by a policy that snapshots volumes (two snapshots recorded, one claim not
/// protected), restored into a mapped namespace (claims with a snapshot data source, Bound) and drilled (Bound, the
/// drill's VolumeSnapshotContents removed).
/// </summary>
public sealed class VolumeRestoreCommandTests
{
    private const string Driver = "disk.csi.azure.com";

    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            volumes: snapshot
            verification:
              drill: { timeout: 1m }
        """;

    private static async Task<ControlPlaneWorld> StartAsync()
    {
        var world = await ControlPlaneWorld.StartAsync(Policy, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots() },
            NamespaceDeletionDelay = TimeSpan.FromMilliseconds(200),
        });
        var prod = world.Prod;
        VolumeSnapshotCrds.Install(prod);
        prod.Create(StorageObjects.StorageClass("managed-csi", Driver));
        prod.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", Driver, isDefault: true));
        prod.Create(StorageObjects.CsiDriver(Driver));
        prod.Create(StorageObjects.StorageClass("azurefile", "file.csi.azure.com"));
        prod.CreateNamespace("db");
        prod.Create(StorageObjects.StatefulSet("db", "pg", "managed-csi", "5Gi", replicas: 2));
        prod.Create(StorageObjects.Claim("db", "data-pg-0", "managed-csi", "5Gi"));
        prod.Create(StorageObjects.Claim("db", "data-pg-1", "managed-csi", "5Gi"));
        prod.Create(StorageObjects.Claim("db", "uploads", "azurefile", "1Gi"));
        world.Variables["HOME"] = world.Dir.Path;
        world.Variables["KUBECONFIG"] = world.Dir.File("kubeconfig.yaml", prod.Kubeconfig("prod"));
        return world;
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static JsonObject? Find(SandboxApiServer server, string group, string plural, string? ns, string name) =>
        server.Store.Get(server.Store.FindType(group, plural)!, ns, name) is { } stored ? System.Text.Json.Nodes.JsonNode.Parse(stored.Item)!.AsObject() : null;

    [Fact]
    public async Task BackupRestoreDrill_StatefulSetWithThreeClaims_TwoRestoredFromSnapshotsAndBound_OneNotProtected()
    {
        await using var world = await StartAsync();

        var (backupCode, backupOut, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
        Assert.True(backupCode == 0, backupError + backupOut);
        var backupId = JsonNode.Parse(backupOut)!["id"]!.GetValue<string>();
        var manifest = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(world.Store, "manifest.json", SearchOption.AllDirectories).Single()))!;
        Assert.Equal(["data-pg-0", "data-pg-1"], manifest["volumes"]!.AsArray().Select(v => v!["claim"]!.GetValue<string>()).Order());
        Assert.Equal("uploads", Assert.Single(manifest["unprotectedVolumes"]!.AsArray())!["claim"]!.GetValue<string>());

        var (restoreCode, restoreOut, restoreError) = await RunAsync(world, "restore", "create", "--from-backup", backupId, "--to-context", "prod",
            "--namespace-mappings", "db:db-restored", "--store", world.Store, "-o", "json");

        Assert.True(restoreCode == 0, restoreError + restoreOut);
        var restore = JsonNode.Parse(restoreOut)!;
        Assert.Equal(2, restore["counts"]!["claimsFromSnapshots"]!.GetValue<long>());
        foreach (var claim in new[] { "data-pg-0", "data-pg-1" })
        {
            var restored = await UntilBoundAsync(world.Prod, "db-restored", claim);
            Assert.Equal("VolumeSnapshot", restored["spec"]!["dataSource"]!["kind"]!.GetValue<string>());
            var snapshot = Find(world.Prod, "snapshot.storage.k8s.io", "volumesnapshots", "db-restored", restored["spec"]!["dataSource"]!["name"]!.GetValue<string>())!;
            var content = Find(world.Prod, "snapshot.storage.k8s.io", "volumesnapshotcontents", null, snapshot["spec"]!["source"]!["volumeSnapshotContentName"]!.GetValue<string>())!;
            Assert.Equal("Retain", content["spec"]!["deletionPolicy"]!.GetValue<string>());
        }

        // Restored as before, without data: beside the original on the same cluster it names the original's volume (its
        // PersistentVolume is part of the restore, and exists), as any claim without a snapshot does; drills drop that name.
        var uploads = Find(world.Prod, "", "persistentvolumeclaims", "db-restored", "uploads")!;
        Assert.Null(uploads["spec"]!["dataSource"]);
        Assert.Contains(restore["problems"]!.AsArray(), p => p!["reason"]!.GetValue<string>() == "Unprotected" && p["name"]!.GetValue<string>() == "uploads");

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(drillCode == 0, drillError + drillOut);
        var drill = JsonNode.Parse(drillOut)!;
        var scratch = drill["namespaces"]!["db"]!.GetValue<string>();
        var claims = drill["assertions"]!.AsArray().Where(a => a!["what"]!.GetValue<string>().StartsWith("persistentvolumeclaims", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"persistentvolumeclaims {scratch}/data-pg-0: Bound", $"persistentvolumeclaims {scratch}/data-pg-1: Bound", $"persistentvolumeclaims {scratch}/uploads: Bound"],
            claims.Select(a => a!["what"]!.GetValue<string>()).Order());
        Assert.All(claims, a => Assert.True(a!["passed"]!.GetValue<bool>()));
        Assert.Equal(2, drill["snapshotContentsRemoved"]!.GetValue<int>());
        Assert.Equal(2, drill["counts"]!["claimsFromSnapshots"]!.GetValue<long>());
        var (_, table, _) = await RunAsync(world, "drill", "list", "--store", world.Store);
        Assert.Contains("Passed", table, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> UntilBoundAsync(SandboxApiServer server, string ns, string name)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Find(server, "", "persistentvolumeclaims", ns, name) is { } claim && claim["status"]?["phase"]?.GetValue<string>() == "Bound")
            {
                return claim;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"claim {ns}/{name} was never Bound: {Find(server, "", "persistentvolumeclaims", ns, name)?.ToJsonString() ?? "not found"}");
    }
}

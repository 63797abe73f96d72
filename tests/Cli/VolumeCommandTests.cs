using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Volumes;

namespace Strata.Cli.Tests;

/// <summary>
/// A policy with <c>volumes: snapshot</c>, through the CLI: <c>backup create --policy</c> snapshots the claims in scope
/// on a sandbox with the CSI snapshot CRDs and simulated controller, and it and <c>backup describe</c> show the
/// snapshots and the claims none protects, with why; <c>-o json</c> carries them in the manifest.
/// </summary>
public sealed class VolumeCommandTests
{
    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [vol] }
            volumes: snapshot
        """;

    [Fact]
    public async Task BackupCreateAndDescribe_ShowTheSnapshots_AndTheUnprotectedClaimsWithWhy()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50) } },
        });
        VolumeSnapshotCrds.Install(world.Prod);
        world.Prod.CreateNamespace("vol");
        world.Prod.Create(StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com"));
        world.Prod.Create(StorageObjects.StorageClass("gp3", "ebs.csi.aws.com"));
        world.Prod.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", "disk.csi.azure.com", isDefault: true));
        world.Prod.Create(StorageObjects.Claim("vol", "data", "managed-csi", "5Gi"));
        world.Prod.Create(StorageObjects.Claim("vol", "logs", "gp3"));

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);

        Assert.True(code == 0, error + output);
        Assert.Contains("vol/data", output, StringComparison.Ordinal);
        Assert.Contains("data-strata-", output, StringComparison.Ordinal);
        Assert.Contains("csi-azuredisk-vsc", output, StringComparison.Ordinal);
        Assert.Contains("NOT PROTECTED", output, StringComparison.Ordinal);
        Assert.Contains("no VolumeSnapshotClass for driver ebs.csi.aws.com", output, StringComparison.Ordinal);

        var (listCode, list, _) = await RunAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        Assert.Equal(0, listCode);
        var id = JsonNode.Parse(list)!.AsArray().Single()!["id"]!.GetValue<string>();
        var (describeCode, describe, _) = await RunAsync(world, "backup", "describe", id, "--store", world.Store);
        var (jsonCode, json, _) = await RunAsync(world, "backup", "describe", id, "--store", world.Store, "-o", "json");

        Assert.Equal((0, 0), (describeCode, jsonCode));
        Assert.Contains("5Gi", describe, StringComparison.Ordinal);
        Assert.Contains("crash", describe, StringComparison.Ordinal);
        Assert.Contains("vol/logs", describe, StringComparison.Ordinal);
        var manifest = JsonNode.Parse(json)!["manifest"]!;
        Assert.Equal("data", manifest["volumes"]!.AsArray().Single()!["claim"]!.GetValue<string>());
        Assert.Equal("logs", manifest["unprotectedVolumes"]!.AsArray().Single()!["claim"]!.GetValue<string>());
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// A policy with <c>etcd:</c>, through the CLI: <c>backup create --policy</c> runs the etcd layer, and it and
/// <c>backup describe</c> show the snapshot or why the cluster has none; <c>-o json</c> carries it in the manifest.
/// </summary>
public sealed class EtcdCommandTests
{
    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [shop] }
            etcd: {}
        """;

    [Fact]
    public async Task BackupCreateAndDescribe_ClusterWithoutEtcdEndpoints_SucceedsShowingNotApplicable()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy);

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);

        Assert.True(code == 0, error + output);
        Assert.Contains("etcd snapshot: not applicable: no etcd endpoints configured for cluster prod (a managed control plane, or add etcd: to the cluster in strata.yaml)",
            output, StringComparison.Ordinal);
        var (_, list, _) = await RunAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        var backup = JsonNode.Parse(list)!.AsArray().Single()!;
        Assert.Equal("Succeeded", backup["status"]!.GetValue<string>());
        var (describeCode, describe, _) = await RunAsync(world, "backup", "describe", backup["id"]!.GetValue<string>(), "--store", world.Store);
        var (jsonCode, json, _) = await RunAsync(world, "backup", "describe", backup["id"]!.GetValue<string>(), "--store", world.Store, "-o", "json");

        Assert.Equal((0, 0), (describeCode, jsonCode));
        Assert.Contains("etcd snapshot: not applicable: no etcd endpoints configured for cluster prod", describe, StringComparison.Ordinal);
        var etcd = JsonNode.Parse(json)!["manifest"]!["etcd"]!;
        Assert.StartsWith("no etcd endpoints configured for cluster prod", etcd["notApplicable"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(etcd["snapshot"]);
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

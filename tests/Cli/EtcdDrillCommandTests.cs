using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Etcd;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata drill run</c> of an <c>etcdRestore</c> drill end to end: a real etcd holding kube-apiserver's keys for the
/// sandbox's objects, a backup whose etcd layer snapshots it through gRPC (verified), then the drill — the snapshot read
/// back and checked, restored with this machine's etcd tools, started on loopback, its keys compared with the backup's
/// objects — shown as a table and as JSON. Fails (never skips) without etcd.
/// </summary>
public sealed class EtcdDrillCommandTests
{
    private const string Policies = """
          - name: objects
            clusters: [prod]
            schedule: "30 2 * * *"
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            etcd: {}
            verification:
              drill: { mode: etcdRestore, rto: 10m }
        """;

    [Fact]
    public async Task DrillRun_EtcdRestore_RebuildsTheBackupsSnapshot_ComparesItsKeys_AndReportsTheRto()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policies);
        await using var etcd = await EtcdServer.StartAsync();
        await FillAsync(world, etcd);

        var (backupCode, _, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);
        var (code, output, error) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);
        var (jsonCode, json, _) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(backupCode == 0, backupError);
        Assert.True(code == 0, error + output);
        Assert.Contains("a throwaway etcd on the runner, etcdRestore", output, StringComparison.Ordinal);
        Assert.Contains("rebuilt: restored, started as a throwaway member on loopback, keys compared (etcd", output, StringComparison.Ordinal);
        Assert.Contains("to download, restore, start and check the etcd snapshot — within the objective of 10m", output, StringComparison.Ordinal);
        Assert.Contains("/registry/services/specs/", output, StringComparison.Ordinal);
        Assert.Contains("/registry/demo.strata.dev/widgets/", output, StringComparison.Ordinal);
        Assert.Equal(0, jsonCode);
        var drill = JsonNode.Parse(json)!;
        Assert.Equal(("Passed", "etcdRestore", "runner"), (drill["status"]!.GetValue<string>(), drill["mode"]!.GetValue<string>(), drill["target"]!.GetValue<string>()));
        var result = drill["etcd"]!;
        Assert.Equal("rebuild", result["scope"]!.GetValue<string>());
        Assert.True(drill["rtoSeconds"]!.GetValue<double>() > 0);
        Assert.Contains(result["resources"]!.AsArray(), r => r!["resource"]!.GetValue<string>() == "deployments.apps" && r["keys"]!.GetValue<long>() == r["objects"]!.GetValue<long>());
        Assert.Empty(result["problems"]!.AsArray());
    }

    /// <summary>
    /// Puts into etcd one key per object a backup of the sandbox captures (counted by a backup of the "objects" policy),
    /// where kube-apiserver would keep it, then names the etcd in strata.yaml for the "nightly" policy's etcd layer.
    /// </summary>
    private static async Task FillAsync(ControlPlaneWorld world, EtcdServer etcd)
    {
        var (code, _, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "objects", "--cluster", "prod", "--store", world.Store);
        Assert.True(code == 0, error);
        var (_, list, _) = await RunAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        var id = JsonNode.Parse(list)!.AsArray().Single()!["id"]!.GetValue<string>();
        var (_, described, _) = await RunAsync(world, "backup", "describe", id, "--store", world.Store, "-o", "json");
        var counts = JsonNode.Parse(described)!["manifest"]!["counts"]!["byResource"]!.AsObject().ToDictionary(c => c.Key, c => c.Value!.GetValue<long>());
        Assert.Contains("services", counts.Keys);
        var keys = counts.SelectMany(c => Enumerable.Range(0, (int)c.Value).Select(i => $"{SampleApplicationKeys.Prefix(c.Key)}ns/{c.Key}-{i}"));
        await EtcdWriter.PutAsync(etcd.Endpoint, keys.Select(k => KeyValuePair.Create(k, Encoding.UTF8.GetBytes("{}"))));
        var yaml = await File.ReadAllTextAsync(world.ConfigPath);
        await File.WriteAllTextAsync(world.ConfigPath, yaml.Replace("    tags: { env: prod }\n", $"    tags: {{ env: prod }}\n    etcd: {{ endpoints: [{etcd.Endpoint.GetLeftPart(UriPartial.Authority)}] }}\n", StringComparison.Ordinal));
        Assert.NotEqual(yaml, await File.ReadAllTextAsync(world.ConfigPath));
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

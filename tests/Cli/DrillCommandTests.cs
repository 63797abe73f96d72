using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata drill run</c> and <c>strata drill list</c> end to end: strata.yaml, the control plane's verify worker, the
/// restore path and the KubernetesClient adapter against sandbox API servers whose simulated controllers roll
/// workloads out, bind claims, complete Jobs and terminate namespaces on real time. Times are only ever compared
/// with the sandbox's own delays (a lower bound the controllers cannot beat), never with an upper bound.
/// </summary>
public sealed class DrillCommandTests
{
    private static readonly TimeSpan ReadyDelay = TimeSpan.FromMilliseconds(1500);

    private static string Policy(string drill) => string.Join('\n',
        "  - name: nightly",
        "    clusters: [prod]",
        "    schedule: \"30 2 * * *\"",
        "    verification:",
        $"      drill: {drill}");

    private static SandboxOptions Controllers(Func<SandboxObject, bool>? neverReady = null) => new()
    {
        Controllers = new SimulatedControllers
        {
            WorkloadReadyDelay = ReadyDelay,
            VolumeBindDelay = TimeSpan.FromMilliseconds(500),
            JobCompletionDelay = TimeSpan.FromMilliseconds(500),
            NeverReady = neverReady,
        },
        NamespaceDeletionDelay = TimeSpan.FromMilliseconds(300),
    };

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static Sandbox.Storage.StoredObject? Find(SandboxApiServer server, string group, string plural, string? ns, string name) =>
        server.Store.Get(server.Store.FindType(group, plural)!, ns, name);

    private static int Objects(SandboxApiServer server) => server.Store.Types.Sum(server.Store.Count);

    private static async Task BackUpAsync(ControlPlaneWorld world)
    {
        var (code, _, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);
        Assert.True(code == 0, error);
    }

    private static Task<(int Code, string Out, string Error)> DrillAsync(ControlPlaneWorld world, params string[] extra) =>
        RunAsync(world, ["drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, .. extra]);

    [Fact]
    public async Task Run_Scratch_RestoresIntoScratchNamespaces_WaitsForReadiness_CleansUp_AndReportsTheRto()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy("{ rto: 10m }"), prodOptions: Controllers());
        await BackUpAsync(world);

        var (code, output, error) = await DrillAsync(world, "-o", "json");

        Assert.True(code == 0, error + output);
        var drill = JsonNode.Parse(output)!;
        Assert.Equal(("Passed", "scratch", "prod", true), (drill["status"]!.GetValue<string>(), drill["mode"]!.GetValue<string>(), drill["target"]!.GetValue<string>(), drill["rtoObjectiveMet"]!.GetValue<bool>()));
        var scratch = drill["namespaces"]!.AsObject().ToDictionary(n => n.Key, n => n.Value!.GetValue<string>());
        Assert.Equal(["auth", "monitoring", "shop"], scratch.Keys.Order());
        Assert.All(scratch, n => Assert.Equal($"drill-{drill["id"]!.GetValue<string>()[^6..]}-{n.Key}", n.Value));

        // Every workload rolled out, the claim bound, each at its own time; none before the sandbox's controllers could make it so.
        var assertions = drill["assertions"]!.AsArray().Select(a => a!).ToList();
        Assert.Contains(assertions, a => a["what"]!.GetValue<string>() == $"deployments.apps {scratch["shop"]}/web: rolled out");
        Assert.Contains(assertions, a => a["what"]!.GetValue<string>() == $"deployments.apps {scratch["monitoring"]}/prometheus: rolled out");
        Assert.Contains(assertions, a => a["what"]!.GetValue<string>() == $"persistentvolumeclaims {scratch["shop"]}/data: Bound");
        Assert.All(assertions, a => Assert.True(a["passed"]!.GetValue<bool>()));
        var rto = drill["rtoSeconds"]!.GetValue<double>();
        Assert.True(rto >= ReadyDelay.TotalSeconds, $"RTO {rto} s, but workloads take {ReadyDelay.TotalSeconds} s to be ready");
        Assert.Equal(rto, assertions.Max(a => a["seconds"]!.GetValue<double>()));
        Assert.Empty(drill["refused"]!.AsArray());
        Assert.Empty(drill["keptNamespaces"]!.AsArray());
        Assert.Empty(drill["createdClusterObjects"]!.AsArray()); // the storage class, cluster role and CRD exist on prod: left as they are

        // Cleaned up: the scratch namespaces are gone; the application is as it was.
        Assert.All(scratch.Values, ns => Assert.Null(Find(world.Prod, "", "namespaces", null, ns)));
        Assert.NotNull(Find(world.Prod, "apps", "deployments", "shop", "web"));
        Assert.Contains("drill: ", error); // progress on standard error

        var (_, status, _) = await RunAsync(world, "status", "--config", world.ConfigPath, "--store", world.Store, "-o", "json");
        var lastDrill = JsonNode.Parse(status)!["protection"]!.AsArray().Single(p => p!["cluster"]!.GetValue<string>() == "prod")!["lastDrill"]!;
        Assert.Equal((drill["id"]!.GetValue<string>(), "Passed", rto), (lastDrill["id"]!.GetValue<string>(), lastDrill["status"]!.GetValue<string>(), lastDrill["rtoSeconds"]!.GetValue<double>()));

        var (_, table, _) = await RunAsync(world, "drill", "list", "--store", world.Store);
        Assert.Contains("RTO TREND", table);
        Assert.Contains($"{rto:0.0} s", table);

        var (listCode, list, _) = await RunAsync(world, "drill", "list", "--store", world.Store, "-o", "json");
        Assert.Equal(0, listCode);
        var trend = Assert.Single(JsonNode.Parse(list)!["trends"]!.AsArray())!;
        Assert.Equal(("nightly", "prod", 1, rto), (trend["policy"]!.GetValue<string>(), trend["cluster"]!.GetValue<string>(), trend["drills"]!.GetValue<int>(), trend["lastRtoSeconds"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Run_WorkloadNeverReady_FailsTheDrill_NamingIt_AndKeepsTheNamespaceWhenAsked()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy("{ keepOnFailure: true, timeout: 2m }"),
            prodOptions: Controllers(neverReady: w => w.Name == "cache" && w.Namespace!.StartsWith("drill-", StringComparison.Ordinal)));
        await BackUpAsync(world);

        var (code, output, error) = await DrillAsync(world, "-o", "json");

        Assert.True(code == 1, error + output);
        var drill = JsonNode.Parse(output)!;
        Assert.Equal("Failed", drill["status"]!.GetValue<string>());
        Assert.Null(drill["rtoSeconds"]);
        var shop = drill["namespaces"]!["shop"]!.GetValue<string>();
        var cache = Assert.Single(drill["assertions"]!.AsArray(), a => !a!["passed"]!.GetValue<bool>())!;
        Assert.Equal($"deployments.apps {shop}/cache: rolled out", cache["what"]!.GetValue<string>());
        Assert.StartsWith("deployment \"cache\" exceeded its progress deadline", cache["lastSeen"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(shop, drill["keptNamespaces"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.NotNull(Find(world.Prod, "", "namespaces", null, shop)); // kept for people to look at
        Assert.NotNull(Find(world.Prod, "apps", "deployments", shop, "cache"));
    }

    [Fact]
    public async Task Run_DryRun_ListsEveryObjectTheTargetRefuses_WithTheServersMessage()
    {
        var refuse = new AdmissionWebhook("registry.policy.example.com", r => r.Kind == "Deployment" && r.Name == "cache"
            ? "image registry.example.com/cache:1.0 is not from an approved registry" : null);
        await using var world = await ControlPlaneWorld.StartAsync(Policy("{ mode: dryRun }"), prodOptions: new SandboxOptions { Admission = [refuse] });
        await BackUpAsync(world);
        var objects = Objects(world.Prod);

        var (code, output, error) = await DrillAsync(world);

        Assert.True(code == 1, error + output);
        Assert.Contains("deployments.apps shop/cache", output);
        Assert.Contains("admission webhook \"registry.policy.example.com\"", output); // the table, for people
        Assert.Equal(objects, Objects(world.Prod)); // a dry run persists nothing

        var (_, json, _) = await RunAsync(world, "drill", "list", "--store", world.Store, "-o", "json");
        var drill = JsonNode.Parse(json)!["drills"]![0]!;
        var refused = Assert.Single(drill["refused"]!.AsArray())!;
        Assert.Equal("deployments.apps shop/cache", refused["object"]!.GetValue<string>());
        Assert.Equal("admission webhook \"registry.policy.example.com\" denied the request: image registry.example.com/cache:1.0 is not from an approved registry",
            refused["reason"]!.GetValue<string>());
        Assert.True(drill["counts"]!["updated"]!.GetValue<long>() > 0); // what exists on the target is validated as the update it would be
    }

    [Theory]
    [InlineData("{ target: staging }", "strata.yaml:16:24: policies[0].verification.drill.target: 'staging' is not a cluster in")]
    [InlineData("{ mode: blue-green }", "policies[0].verification.drill.mode: unknown mode 'blue-green'")]
    [InlineData("{ assertions: [ { kind: Deployment, namespace: shop, name: web, jsonPath: '{.status[0', equals: '2' } ] }",
        "strata.yaml:16:99: policies[0].verification.drill.assertions[0].jsonPath: malformed JSONPath '{.status[0' at character 11: expected '}' to close the '{' at character 1")]
    public async Task Run_BadConfiguration_ExitsTwo_NamingFileLineAndColumn_RunningNothing(string drill, string expected)
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy("{}"));
        await File.WriteAllTextAsync(world.ConfigPath, (await File.ReadAllTextAsync(world.ConfigPath)).Replace("drill: {}", $"drill: {drill}", StringComparison.Ordinal));

        var (code, output, error) = await DrillAsync(world);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(Path.Combine(world.Store, "history", "drills")));
    }

    [Fact]
    public async Task Run_NoVerifiedBackup_OrAPolicyWithoutDrill_ExitsTwo()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy("{}") + "\n  - name: plain\n    clusters: [prod]\n    schedule: \"0 3 * * *\"");

        var (noBackup, _, noBackupError) = await DrillAsync(world);
        var (noDrill, _, noDrillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "plain", "--cluster", "prod", "--store", world.Store);
        var (unknown, _, unknownError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "dr", "--store", world.Store);

        Assert.Equal((2, 2, 2), (noBackup, noDrill, unknown));
        Assert.Contains("no verified backup of policy 'nightly' on cluster 'prod' to drill", noBackupError);
        Assert.Contains("policy 'plain' has no verification.drill", noDrillError);
        Assert.Contains("policy 'nightly' does not protect cluster 'dr'", unknownError);
    }
}

using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Adapters.Kubernetes;
using Strata.Sandbox;
using Strata.Sandbox.Http;
using Strata.TestKit;

namespace Strata.Cli.Tests;

public class BackupCommandTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private readonly TempDirectory _dir = new();
    private string _kubeconfig = null!;

    private string Store => Path.Combine(_dir.Path, "store");

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        SampleApplication.Seed(_sandbox.Server);
        _kubeconfig = _dir.File("kubeconfig", _sandbox.Server.Kubeconfig("prod"));
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => name == "HOME" ? _dir.Path : null, false, TimeProvider.System)
        {
            // Short backoff, so that riding out a sandbox restart takes the downtime, not the default 5 s steps.
            Kubernetes = new KubernetesClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(250) },
        };
        var code = await StrataCli.RunAsync(args, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private Dictionary<string, JsonObject> Archive(JsonObject result) =>
        ArchiveReader.Read(Path.Combine(Store, result["artifacts"]![0]!["key"]!.GetValue<string>()));

    [Fact]
    public async Task Create_ScopedByNamespaceAndSelector_CapturesExactlyThatAndWhatItNeeds()
    {
        var (code, output, error) = await RunAsync(
            "backup", "create", "--kubeconfig", _kubeconfig, "--include-namespaces", "shop,auth", "--selector", "tier!=cache",
            "--store", Store, "--output", "json");

        Assert.True(code == 0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("Verified", result["status"]!.GetValue<string>());
        var archive = Archive(result);
        Assert.Contains("resources/apps/v1/deployments/namespaces/shop/web.json", archive.Keys);
        Assert.DoesNotContain("resources/apps/v1/deployments/namespaces/shop/cache.json", archive.Keys);
        Assert.DoesNotContain(archive.Keys, k => k.Contains("/namespaces/monitoring/", StringComparison.Ordinal));
        Assert.Contains("resources/demo.strata.dev/v1/widgets/namespaces/shop/checkout.json", archive.Keys);
        // auto: what the captured objects need, and nothing else cluster-scoped
        Assert.Contains("resources/core/v1/namespaces/shop.json", archive.Keys);
        Assert.Contains("resources/core/v1/namespaces/auth.json", archive.Keys);
        Assert.Contains("resources/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.demo.strata.dev.json", archive.Keys);
        Assert.Contains("resources/core/v1/persistentvolumes/pv-shop-data.json", archive.Keys);
        Assert.Contains("resources/rbac.authorization.k8s.io/v1/clusterroles/shop-reader.json", archive.Keys);
        Assert.DoesNotContain("resources/rbac.authorization.k8s.io/v1/clusterroles/unrelated-admin.json", archive.Keys);
        Assert.DoesNotContain(archive.Keys, k => k.Contains("storageclasses", StringComparison.Ordinal));
        // default exclusions: controller-owned and finished pods, events
        Assert.Contains("resources/core/v1/pods/namespaces/shop/debug-shell.json", archive.Keys);
        Assert.DoesNotContain("resources/core/v1/pods/namespaces/shop/web-7d4b9c-x2x8q.json", archive.Keys);
        Assert.DoesNotContain("resources/core/v1/pods/namespaces/shop/migrate-once.json", archive.Keys);
        Assert.DoesNotContain(archive.Keys, k => k.Contains("/events/", StringComparison.Ordinal));
        // objects recorded faithfully, managedFields dropped, type filled in
        var web = archive["resources/apps/v1/deployments/namespaces/shop/web.json"];
        Assert.Equal(("apps/v1", "Deployment"), (web["apiVersion"]!.GetValue<string>(), web["kind"]!.GetValue<string>()));
        Assert.Null(web["metadata"]!["managedFields"]);
        Assert.NotNull(web["metadata"]!["uid"]);
        Assert.Equal(archive.Count, result["objectCount"]!.GetValue<long>());
        Assert.Equal(3, result["countsByResource"]!["deployments.apps"]!.GetValue<long>());
    }

    [Fact]
    public async Task Create_WritesManifestLastWithHashesCountsAndGitOps()
    {
        var (code, output, _) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json");

        Assert.Equal(0, code);
        var result = JsonNode.Parse(output)!.AsObject();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Store, result["manifest"]!.GetValue<string>())))!;
        Assert.Equal(ArtifactFormat.Version, manifest["formatVersion"]!.GetValue<int>());
        Assert.Equal("v1.31.4", manifest["serverVersion"]!.GetValue<string>());
        var artifact = manifest["artifacts"]![0]!;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Store, result["artifacts"]![0]!["key"]!.GetValue<string>()));
        Assert.Equal(bytes.Length, artifact["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), artifact["sha256"]!.GetValue<string>());
        Assert.Equal(3, manifest["gitOps"]!["managed"]!.GetValue<long>());
        Assert.Contains(manifest["gitOps"]!["objects"]!.AsArray(), o => o!["path"]!.GetValue<string>() == "resources/apps/v1/deployments/namespaces/shop/web.json"
            && o["manager"]!.GetValue<string>() == "ArgoCd");
        Assert.True(manifest["counts"]!["byNamespace"]!["shop"]!.GetValue<long>() > 0);
        Assert.Contains(manifest["excludedResources"]!.AsArray(), r => r!["resource"]!.GetValue<string>() == "events");
    }

    [Fact]
    public async Task Create_SkipGitOpsManaged_LeavesThemOutAndCountsThem()
    {
        var (code, output, _) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json", "--skip-gitops-managed");

        Assert.Equal(0, code);
        var archive = Archive(JsonNode.Parse(output)!.AsObject());
        Assert.DoesNotContain("resources/apps/v1/deployments/namespaces/shop/web.json", archive.Keys);
        Assert.DoesNotContain("resources/apps/v1/deployments/namespaces/monitoring/prometheus.json", archive.Keys);
        Assert.Contains("resources/apps/v1/deployments/namespaces/shop/api.json", archive.Keys);
    }

    [Fact]
    public async Task Create_ForbiddenResource_PartiallyFailsNamingVerbAndResource()
    {
        _sandbox.Server.Access.Deny("list", "", "secrets");

        var (code, output, _) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json");

        Assert.Equal(1, code);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("PartiallyFailed", result["status"]!.GetValue<string>());
        var problem = Assert.Single(result["problems"]!.AsArray(), p => p!["severity"]!.GetValue<string>() == "Error")!;
        Assert.Equal("secrets", problem["resource"]!.GetValue<string>());
        Assert.Contains("lacks 'list' on secrets", problem["message"]!.GetValue<string>());
        Assert.DoesNotContain(Archive(result).Keys, k => k.Contains("/secrets/", StringComparison.Ordinal));
        Assert.Null(result["countsByResource"]!["secrets"]);
        Assert.NotNull(result["countsByResource"]!["configmaps"]);
    }

    [Fact]
    public async Task ListAndDescribe_ShowTheBackup()
    {
        var (_, created, _) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json");
        var id = JsonNode.Parse(created)!["id"]!.GetValue<string>();

        var (listCode, list, _) = await RunAsync("backup", "list", "--store", Store);
        var (jsonCode, json, _) = await RunAsync("backup", "list", "--store", Store, "-o", "json");
        var (describeCode, describe, _) = await RunAsync("backup", "describe", id, "--store", Store);
        var (missingCode, _, missingError) = await RunAsync("backup", "describe", "20990101-000000-000000", "--store", Store);

        Assert.Equal((0, 0, 0), (listCode, jsonCode, describeCode));
        Assert.Contains(id, list);
        Assert.Contains("Verified", list);
        Assert.Equal(id, JsonNode.Parse(json)![0]!["id"]!.GetValue<string>());
        Assert.Contains("deployments.apps", describe);
        Assert.Contains("ArgoCd", describe);
        Assert.Equal(2, missingCode);
        Assert.Contains("no backup \"20990101-000000-000000\"", missingError);
    }

    [Fact]
    public async Task Create_MissingKubeconfig_Exit2NamingTheFile()
    {
        var (code, _, error) = await RunAsync("backup", "create", "--kubeconfig", "/nope/config", "--store", Store);

        Assert.Equal(2, code);
        Assert.Equal("strata: kubeconfig /nope/config: file does not exist", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(Store, "history")));
    }

    [Fact]
    public async Task Create_UnparsableKubeconfig_Exit2NamingFileAndLine()
    {
        var bad = _dir.File("bad", "clusters: [ {name: x\n");

        var (code, _, error) = await RunAsync("backup", "create", "--kubeconfig", bad, "--store", Store);

        Assert.Equal(2, code);
        Assert.StartsWith($"strata: kubeconfig {bad} line", error.Trim());
    }

    [Fact]
    public async Task Create_UnknownContext_Exit2NamingTheContext()
    {
        var (code, _, error) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--context", "staging", "--store", Store);

        Assert.Equal(2, code);
        Assert.Contains("context \"staging\" not found (known: prod)", error);
    }

    [Fact]
    public async Task Create_UnreachableServer_Exit2AndNothingGoodRecorded()
    {
        var yaml = _sandbox.Server.Kubeconfig("prod").Replace(_sandbox.Server.Url.ToString().TrimEnd('/'), "https://127.0.0.1:1", StringComparison.Ordinal);
        var unreachable = _dir.File("unreachable", yaml);

        var (code, _, error) = await RunAsync("backup", "create", "--kubeconfig", unreachable, "--store", Store);
        var (_, list, _) = await RunAsync("backup", "list", "--store", Store, "-o", "json");

        Assert.Equal(2, code);
        Assert.Contains("cluster \"prod\" (https://127.0.0.1:1/): cannot reach", error);
        Assert.DoesNotContain(_sandbox.Server.AdminToken, error);
        var record = Assert.Single(JsonNode.Parse(list)!.AsArray());
        Assert.Equal("Failed", record!["status"]!.GetValue<string>());
        Assert.Null(record["manifest"]);
    }

    [Fact]
    public async Task Create_ApiServerRestartsMidList_WaitsItOutAndSucceedsWithEveryObject()
    {
        var configMaps = SeedConfigMaps(1500);
        var restart = _sandbox.Server.Faults.Add(new FaultRule
        {
            Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Restart, Delay = TimeSpan.FromSeconds(2), Times = 1,
        });

        var (code, output, error) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json", "--outage-budget", "60");

        Assert.True(code == 0, error);
        Assert.True(restart.Hits > 0);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("Verified", result["status"]!.GetValue<string>());
        Assert.Equal(configMaps, result["countsByResource"]!["configmaps"]!.GetValue<long>());
        Assert.Equal(configMaps, Archive(result).Keys.Count(k => k.StartsWith("resources/core/v1/configmaps/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Create_ApiServerDownLongerThanTheOutageBudget_PartiallyFailsNamingWhereListingStopped()
    {
        SeedConfigMaps(1500);
        _sandbox.Server.Faults.Add(new FaultRule
        {
            Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Restart, Delay = TimeSpan.FromSeconds(4), Times = 1,
        });

        var (code, output, _) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--store", Store, "-o", "json", "--outage-budget", "1");
        await _sandbox.Server.WaitForRestartAsync();

        Assert.Equal(1, code);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("PartiallyFailed", result["status"]!.GetValue<string>());
        var problem = Assert.Single(result["problems"]!.AsArray(), p => p!["resource"]?.GetValue<string>() == "configmaps")!;
        Assert.StartsWith("listing stopped after 500 objects: cannot reach", problem["message"]!.GetValue<string>());
        Assert.DoesNotContain(_sandbox.Server.AdminToken, output);
    }

    [Fact]
    public async Task Create_BadSelector_Exit2BeforeAnyRequest()
    {
        var before = _sandbox.Server.RequestCount;

        var (code, _, error) = await RunAsync("backup", "create", "--kubeconfig", _kubeconfig, "--selector", "tier in cache", "--store", Store);

        Assert.Equal(2, code);
        Assert.Contains("--selector: invalid label selector 'tier in cache'", error);
        Assert.Equal(before, _sandbox.Server.RequestCount);
    }

    [Fact]
    public async Task Demo_BacksUpTheSandboxAndSaysSo()
    {
        var (code, output, error) = await RunAsync("demo", "--store", Store);

        Assert.Equal(0, code);
        Assert.Contains("SANDBOX", error);
        Assert.Contains("Succeeded", output);
        Assert.Contains("widgets.demo.strata.dev", output);

        // The etcd part's tables, as 'backup create' and 'drill run' print them (it fails, never skips, without etcd).
        Assert.Contains("ETCD SNAPSHOT", output);
        Assert.Contains("CONTROL-PLANE NODE", output);
        Assert.Contains("rebuilt: restored, started as a throwaway member on loopback, keys compared", output);
        Assert.Contains("the sandbox keeps its objects in memory, so the demo writes them into that etcd as kube-apiserver lays them out", error);

        // The coverage survey, as 'strata coverage' prints it: unprotected first.
        Assert.Contains("sandbox: ", output);
        Assert.Contains(output.Split('\n'), l => l.Contains("UNPROTECTED", StringComparison.Ordinal) && l.Contains("database pod", StringComparison.Ordinal) && l.Contains("shop/orders-db-0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_RestoresItsBackupIntoASecondSandbox()
    {
        var (code, output, error) = await RunAsync("demo", "--store", Store, "-o", "json");

        Assert.True(code == 0, error);
        var result = JsonNode.Parse(output)!;
        Assert.Equal("Verified", result["backup"]!["status"]!.GetValue<string>());
        Assert.Equal("Succeeded", result["restore"]!["status"]!.GetValue<string>());
        Assert.Equal(result["backup"]!["id"]!.GetValue<string>(), result["restore"]!["backupId"]!.GetValue<string>());
        Assert.Contains(result["restore"]!["items"]!.AsArray(), i =>
            i!["namespace"]?.GetValue<string>() == "shop-restored" && i["name"]!.GetValue<string>() == "checkout" && i["outcome"]!.GetValue<string>() == "created");

        // Then a scratch drill of the same backup on the first sandbox, with its RTO; its simulated rollouts take 2 s.
        var drill = result["drill"]!;
        Assert.Equal(("Passed", "scratch", result["backup"]!["id"]!.GetValue<string>()),
            (drill["status"]!.GetValue<string>(), drill["mode"]!.GetValue<string>(), drill["backupId"]!.GetValue<string>()));
        Assert.True(drill["rtoSeconds"]!.GetValue<double>() >= 2, drill.ToJsonString());
        Assert.Contains(drill["assertions"]!.AsArray(), a => a!["what"]!.GetValue<string>().EndsWith("-shop/web: rolled out", StringComparison.Ordinal));
        Assert.Empty(drill["keptNamespaces"]!.AsArray());
        Assert.Contains("measured RTO of the scratch drill", error);

        // The data layers against a real PostgreSQL: the dump and the snapshots verified, the claims restored from their snapshots.
        var databases = result["databases"]!;
        Assert.Equal("Verified", databases["status"]!.GetValue<string>());
        var claims = databases["volumes"]!["claims"]!;
        Assert.Equal(("Bound", true), (claims["pgdata-postgres-0"]!["phase"]!.GetValue<string>(), claims["pgdata-postgres-0"]!["fromSnapshot"] is not null));
        Assert.Equal(("Bound", true), (claims["data"]!["phase"]!.GetValue<string>(), claims["data"]!["fromSnapshot"] is not null));
        Assert.Null(claims["scratch"]!["fromSnapshot"]);
        Assert.Contains("holds the backup_label pg_backup_stop returned (START WAL LOCATION:", error);

        // Alerting, through the control plane's functions: the partial backup pages the signed webhook, the next verified one resolves it.
        var alerts = result["alerts"]!.AsArray();
        Assert.Equal(["AlertRaised backup-partial/demo-hourly/sandbox true", "AlertResolved backup-partial/demo-hourly/sandbox true"],
            alerts.Select(a => $"{a!["type"]} {a["dedupKey"]} {a["signatureValid"]}"));

        // Coverage: a claim and a database protected (by which layer), what nothing protects with the reason, what Git rebuilds.
        var coverage = result["coverage"]!["entries"]!.AsArray();
        string State(string kind, string name) => coverage.Single(e => e!["kind"]!.GetValue<string>() == kind && e["namespace"]?.GetValue<string>() == "shop" && e["name"]!.GetValue<string>() == name)!["state"]!.GetValue<string>();
        Assert.Equal("Protected", State("PersistentVolumeClaim", "data"));
        Assert.Equal("Unprotected", State("PersistentVolumeClaim", "scratch"));
        Assert.Equal("Protected", State("DatabasePod", "accounts-db-0"));
        Assert.Equal("Unprotected", State("DatabasePod", "orders-db-0"));
        Assert.Equal("Rebuildable", State("Deployment", "web"));
        Assert.Contains(coverage, e => e!["name"]!.GetValue<string>() == "accounts-db-0" && e["protectedBy"]![0]!["layer"]!.GetValue<string>() == "databases");

        // etcd, against a real etcd standing in for the sandbox control plane's: the snapshot and the control-plane node's
        // files verified, the snapshot rebuilt in the etcdRestore drill with an RTO, the restore guide written under the store.
        // etcd must be installed (.ci/run installs it): without it the part is skipped, and this fails.
        Assert.True(result["etcd"] is JsonObject, "the etcd part of the demo did not run: " + error);
        var etcd = result["etcd"]!;
        Assert.Equal("Verified", etcd["status"]!.GetValue<string>());
        Assert.True(etcd["keysWritten"]!.GetValue<long>() > 0);
        var layer = etcd["layer"]!;
        Assert.Equal("etcd/snapshot.db", layer["snapshot"]!["path"]!.GetValue<string>());
        Assert.Equal("cp-1", layer["snapshot"]!["memberName"]!.GetValue<string>());
        var files = Assert.Single(layer["controlPlaneFiles"]!.AsArray())!;
        Assert.Equal(("cp-1", "control-plane/cp-1.tar"), (files["node"]!.GetValue<string>(), files["path"]!.GetValue<string>()));
        var rebuild = etcd["drill"]!;
        Assert.Equal(("Passed", "etcdRestore", "rebuild"),
            (rebuild["status"]!.GetValue<string>(), rebuild["mode"]!.GetValue<string>(), rebuild["etcd"]!["scope"]!.GetValue<string>()));
        Assert.True(rebuild["rtoSeconds"]!.GetValue<double>() > 0, rebuild.ToJsonString());
        Assert.Empty(rebuild["etcd"]!["problems"]!.AsArray());
        var script = etcd["guide"]!["script"]!.GetValue<string>();
        Assert.True(File.Exists(script), script);
        Assert.StartsWith(Path.GetFullPath(Store), script, StringComparison.Ordinal);
        Assert.Contains("measured RTO of the etcd rebuild", error);
    }

    /// <summary>Adds ConfigMaps (more than one page) to the sample application's; returns how many ConfigMaps there are.</summary>
    private long SeedConfigMaps(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _sandbox.Server.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", $"bulk-{i:D5}"));
        }

        return _sandbox.Server.Store.Count(_sandbox.Server.Store.FindType("", "configmaps")!);
    }
}

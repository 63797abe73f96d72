using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.Sandbox.Security;
using Strata.TestKit;
using Strata.TestKit.CloudNativePg;
using Strata.TestKit.Databases;
using Strata.TestKit.Volumes;

namespace Strata.Cli.Tests;

/// <summary>
/// Two RBAC-enabled sandboxes with the roles of <c>infra/kubernetes</c> applied as shipped (or with one rule left
/// out): "prod" holds the sample application, a claim snapshotted through CSI, and a pod with a backup hook in
/// <c>shop</c>; "dr" is empty and shares prod's storage system. Strata backs up prod as <c>strata-backup</c>,
/// restores into dr as <c>strata-restore</c>, and drills on prod as <c>strata-drill</c>: each its own
/// ServiceAccount token, nothing else. With a database, <c>shop</c> also holds pod <c>postgres-0</c> in front of a real
/// PostgreSQL (<see cref="PostgresPod"/>): the backup dumps it, the drill restores the dump into a scratch database, and
/// <see cref="RestoreDatabaseAsync"/> restores it into a new database on prod as <c>strata-restore</c>.
/// </summary>
internal sealed class LeastPrivilegeWorld : IAsyncDisposable
{
    public const string Driver = "disk.csi.azure.com";

    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [shop], clusterResources: include }
            volumes: snapshot
            verification:
              drill: { timeout: 1m }
        """;

    private readonly PostgresServer? _database;
    private readonly string? _databaseName;

    private LeastPrivilegeWorld(ControlPlaneWorld world, PostgresServer? database, string? databaseName)
    {
        World = world;
        _database = database;
        _databaseName = databaseName;
    }

    public ControlPlaneWorld World { get; }

    public SandboxApiServer Prod => World.Prod;

    public SandboxApiServer Dr => World.Dr;

    /// <summary>The documents of <c>infra/kubernetes/*.yaml</c> as (file, object), in <c>kubectl apply -f</c> order.</summary>
    public static IReadOnlyList<(string File, JsonObject Object)> Manifests { get; } =
        [.. Directory.GetFiles(Path.Combine(Repository.Root, "infra", "kubernetes"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => YamlJson.Documents(File.ReadAllText(f)).Select(o => (Path.GetFileName(f), o)))];

    private const string CloudNativePgTarget = """
            cloudNativePG:
              - namespace: shop
                cluster: pg-main
        """;

    /// <summary>A database target in shop (the namespace of exec.yaml's and the database templates' Roles), drilled too.</summary>
    private static string DatabaseTarget(string database) => $$"""
            databases:
              - name: main
                namespace: shop
                pod: postgres-0
                container: postgres
                passwordSecret: { name: {{PostgresPod.Secret}}, key: password }
                databases: [{{database}}]
                drill:
                  queries:
                    - { equalsBackup: true }
        """;

    /// <summary>
    /// Control-plane files of a self-managed control plane, without an etcd snapshot (the sandbox has no etcd): a
    /// collector Pod per control-plane node in kube-system, read through exec.
    /// </summary>
    private const string ControlPlaneFilesTarget = """
            etcd:
              snapshot: false
              controlPlaneFiles: { image: "registry.k8s.io/busybox:1.36", allowUnencryptedKeys: true }
        """;

    /// <summary>
    /// Starts the world; <paramref name="withoutRule"/> leaves rule (role name, index) out of its role. With
    /// <paramref name="cloudNativePg"/> the policy also asks CloudNativePG's operator for a backup of Cluster shop/pg-main
    /// (the CLI polls it every 5 s, so only where it is needed); with <paramref name="database"/> it also dumps a fresh
    /// database of that server through pod shop/postgres-0; with <paramref name="controlPlaneFiles"/> prod gets a kubeadm
    /// control-plane node (cp-1, its /etc/kubernetes a folder here, the simulated kubelet running Pods) whose files the
    /// backup copies.
    /// </summary>
    public static async Task<LeastPrivilegeWorld> StartAsync(
        (string Role, int Index)? withoutRule = null, bool cloudNativePg = false, PostgresServer? database = null, bool controlPlaneFiles = false)
    {
        var nodeFolders = new Dictionary<string, string>(StringComparer.Ordinal);
        var hooks = PodExecHandlers.Answer("");
        PodExecHandler prodExec = controlPlaneFiles
            ? (session, ct) => session.Request.Namespace == "kube-system" ? new NodeFilesExec(nodeFolders).RunAsync(session, ct) : hooks(session, ct)
            : hooks;
        string? databaseName = null;
        if (database is not null)
        {
            databaseName = PostgresServer.UniqueDatabaseName("least_privilege");
            await database.CreateDatabaseAsync(databaseName);
            await database.SeedAsync(databaseName, rows: 20);
        }

        var storage = new SnapshotBackend();
        SandboxOptions Options(PodExecHandler? exec) => new()
        {
            Authorization = AuthorizationMode.Rbac,
            Controllers = new SimulatedControllers
            {
                WorkloadReadyDelay = TimeSpan.FromMilliseconds(100),
                Snapshots = new SimulatedSnapshots { Backend = storage },
                CloudNativePg = cloudNativePg ? new SimulatedCloudNativePg() : null,
                Kubelet = controlPlaneFiles && exec is not null ? new SimulatedKubelet { StartDelay = TimeSpan.FromMilliseconds(50) } : null,
            },
            NamespaceDeletionDelay = TimeSpan.FromMilliseconds(100),
            PodExec = exec,
        };
        var policy = Policy + (cloudNativePg ? "\n" + CloudNativePgTarget : "") + (databaseName is null ? "" : "\n" + DatabaseTarget(databaseName))
            + (controlPlaneFiles ? "\n" + ControlPlaneFilesTarget : "");
        var world = await ControlPlaneWorld.StartAsync(policy, prodOptions: Options(prodExec), drOptions: Options(null));
        if (controlPlaneFiles)
        {
            world.Prod.CreateNode("cp-1", controlPlane: true);
            nodeFolders["cp-1"] = SampleControlPlaneFiles.Write(Path.Combine(world.Dir.Path, "cp-1"), "cp-1");
        }

        if (database is not null)
        {
            PostgresPod.Create(world.Prod, database, "shop", "postgres-0");
        }
        foreach (var server in new[] { world.Prod, world.Dr })
        {
            VolumeSnapshotCrds.Install(server);
            server.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", Driver, isDefault: true));
            server.Create(StorageObjects.CsiDriver(Driver));
            foreach (var (_, obj) in Manifests)
            {
                // What the sandbox serves (not admission policies), where its namespace exists (exec.yaml's shop: prod only).
                if (server.Store.Types.Any(t => t.Kind == obj["kind"]!.GetValue<string>())
                    && (obj["metadata"]!["namespace"]?.GetValue<string>() is not { } ns || server.Store.Get(server.Store.FindType("", "namespaces")!, null, ns) is not null))
                {
                    server.Create(Without(obj.DeepClone().AsObject(), withoutRule));
                }
            }
        }

        // A claim snapshotted through CSI, mounted by a pod whose pre-hook runs through pods/exec (strata-exec is bound in
        // shop), and one object of each API group the restore role grants that the sample application lacks.
        var prod = world.Prod;
        if (cloudNativePg)
        {
            CloudNativePgCrds.Install(prod);
            prod.Create(CloudNativePgCrds.Cluster("shop", "pg-main"));
            prod.SetContinuousArchiving("shop", "pg-main", working: true);
        }
        prod.Create(StorageObjects.StorageClass("managed-csi", Driver));
        prod.Create(StorageObjects.Claim("shop", "uploads", "managed-csi", "1Gi"));
        var pod = StorageObjects.Pod("shop", "cache-0", ["uploads"], annotations: new Dictionary<string, string>
        {
            ["pre.hook.backup.velero.io/command"] = """["/bin/sh","-c","sync"]""",
        });
        pod["spec"]!["nodeName"] = "node-1";
        pod["spec"]!["priorityClassName"] = "shop-critical";
        pod["status"] = new JsonObject { ["phase"] = "Running" };
        prod.Create(pod);
        prod.Create(SampleApplication.Obj("scheduling.k8s.io/v1", "PriorityClass", null, "shop-critical", extra: o => o["value"] = 1000));
        prod.Create(SampleApplication.Obj("batch/v1", "CronJob", "shop", "report", extra: o => o["spec"] = new JsonObject
        {
            ["schedule"] = "0 * * * *",
            ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "report", ["image"] = "registry.example.com/report:1" }),
                },
            } } },
        }));
        prod.Create(SampleApplication.Obj("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web", extra: o => o["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
            ["minReplicas"] = 1,
            ["maxReplicas"] = 3,
        }));
        prod.Create(SampleApplication.Obj("policy/v1", "PodDisruptionBudget", "shop", "web", extra: o => o["spec"] = new JsonObject
        {
            ["minAvailable"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["tier"] = "frontend" } },
        }));
        world.Variables["HOME"] = world.Dir.Path;
        return new LeastPrivilegeWorld(world, database, databaseName);
    }

    /// <summary><c>strata backup create</c> as strata-backup.</summary>
    public Task<(int Code, string Out, string Error)> BackUpAsync()
    {
        World.Variables["PROD_TOKEN"] = Prod.Access.IssueServiceAccountToken("strata", "strata-backup");
        return RunAsync("backup", "create", "--config", World.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", World.Store, "-o", "json");
    }

    /// <summary><c>strata restore create</c> of <paramref name="backupId"/> into dr as strata-restore.</summary>
    public Task<(int Code, string Out, string Error)> RestoreAsync(string backupId)
    {
        World.Variables["KUBECONFIG"] = World.Dir.File("dr-restore.yaml", Dr.Kubeconfig("dr", Dr.Access.IssueServiceAccountToken("strata", "strata-restore")));
        return RunAsync("restore", "create", "--from-backup", backupId, "--to-context", "dr", "--store", World.Store, "-o", "json");
    }

    /// <summary>
    /// <c>strata restore create --database</c> of the world's database in <paramref name="backupId"/> into a new database on
    /// prod as strata-restore; the new database's name.
    /// </summary>
    public async Task<(int Code, string Out, string Error, string Target)> RestoreDatabaseAsync(string backupId)
    {
        var target = PostgresServer.UniqueDatabaseName("least_privilege_restored");
        World.Variables["PROD_TOKEN"] = Prod.Access.IssueServiceAccountToken("strata", "strata-restore");
        var (code, output, error) = await RunAsync("restore", "create", "--config", World.ConfigPath, "--store", World.Store,
            "--from-backup", backupId, "--database", $"shop/main/{_databaseName}", "--to-database", target);
        return (code, output, error, target);
    }

    /// <summary>The checksums of the world's database and of <paramref name="restored"/>, for a restore's proof.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Source, IReadOnlyDictionary<string, string> Restored)> ChecksumsAsync(string restored) =>
        (await _database!.ChecksumsAsync(_databaseName!), await _database.ChecksumsAsync(restored));

    /// <summary><c>strata drill run</c> on prod as strata-drill.</summary>
    public Task<(int Code, string Out, string Error)> DrillAsync()
    {
        World.Variables["PROD_TOKEN"] = Prod.Access.IssueServiceAccountToken("strata", "strata-drill");
        return RunAsync("drill", "run", "--config", World.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", World.Store, "-o", "json");
    }

    /// <summary>The ServiceAccount a role of <c>infra/kubernetes</c> is bound to.</summary>
    public static string Identity(string role) => role switch
    {
        "strata-backup" or "strata-exec" or "strata-control-plane-files" => "strata-backup",
        _ when role.StartsWith("strata-drill", StringComparison.Ordinal) => "strata-drill",
        _ => "strata-restore",
    };

    /// <summary>A backup made as strata-backup with every rule; its id.</summary>
    public async Task<string> BackUpOrFailAsync()
    {
        var (code, output, error) = await BackUpAsync();
        Assert.True(code == 0, error + output);
        return JsonNode.Parse(output)!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync() => await World.DisposeAsync();

    private static JsonObject Without(JsonObject obj, (string Role, int Index)? rule)
    {
        if (rule is { } r && obj["kind"]!.GetValue<string>() is "Role" or "ClusterRole" && obj["metadata"]!["name"]!.GetValue<string>() == r.Role)
        {
            obj["rules"]!.AsArray().RemoveAt(r.Index);
        }

        return obj;
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, World.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Fakes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Restore.Snapshots;

/// <summary>
/// Two clusters on one cloud account, as sandboxes over real HTTPS sharing a <see cref="SnapshotBackend"/>: "prod" with
/// namespace <c>shop</c> — a StatefulSet <c>db</c> whose claims <c>data-db-0</c> and <c>data-db-1</c> (5Gi, Azure Disk) have
/// a VolumeSnapshotClass, and a claim <c>shared</c> (Azure Files) that has none — and more clusters on demand. A backup of
/// shop is written to a memory store the way the volumes layer writes one: the resources archive (with the layer's own
/// VolumeSnapshots and their contents, and a user's VolumeSnapshot), a <c>volumes/shop/{claim}.json</c> per snapshot, and
/// the manifest's <c>volumes</c> and <c>unprotectedVolumes</c>.
/// </summary>
internal sealed class SnapshotWorld : IAsyncDisposable
{
    public const string Driver = "disk.csi.azure.com";
    public const string BackupId = "20261130-020000-0bac0b";
    public static readonly string Prefix = ArtifactLayout.BackupPrefix("prod", "nightly", BackupId);
    public static readonly string[] Protected = ["data-db-0", "data-db-1"];

    private readonly List<IAsyncDisposable> _owned = [];

    public SnapshotBackend Cloud { get; } = new();

    public SandboxApiServer Prod { get; private set; } = null!;

    public KubernetesClient ProdClient { get; private set; } = null!;

    public MemoryArtifactStore Store { get; } = new();

    public MemoryRunHistory History { get; } = new();

    public static readonly ApiResource Namespaces = new("", "v1", "namespaces", "Namespace", false, ["create", "get"]);
    public static readonly ApiResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true, ["create", "get"]);
    public static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["create", "get"]);

    public static async Task<SnapshotWorld> StartAsync()
    {
        var world = new SnapshotWorld();
        var (prod, client) = await world.ClusterAsync("prod", csiDriver: true, sharesStorage: true);
        (world.Prod, world.ProdClient) = (prod, client);
        prod.CreateNamespace("shop");
        prod.Create(StorageObjects.StorageClass("azurefile", "file.csi.azure.com"));
        prod.Create(StorageObjects.StatefulSet("shop", "db", "managed-csi", "5Gi", replicas: 2));
        foreach (var claim in Protected)
        {
            prod.Create(StorageObjects.Claim("shop", claim, "managed-csi", "5Gi", new Dictionary<string, string> { ["app"] = "db" }));
        }

        prod.Create(StorageObjects.Claim("shop", "shared", "azurefile", "1Gi"));
        return world;
    }

    /// <summary>
    /// Another cluster (context <paramref name="name"/>): the snapshot CRDs and controller, the Azure Disk StorageClass
    /// and VolumeSnapshotClass, the CSIDriver when <paramref name="csiDriver"/>, on the same storage system when <paramref name="sharesStorage"/>.
    /// </summary>
    public async Task<(SandboxApiServer Server, KubernetesClient Client)> ClusterAsync(
        string name, bool csiDriver, bool sharesStorage, bool snapshotApi = true)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { Backend = sharesStorage ? Cloud : null } },
        });
        var client = new KubernetesClient(Kubeconfig.Parse(server.Kubeconfig(name), "test kubeconfig").Resolve());
        _owned.Add(new Owned(server, client));
        if (snapshotApi)
        {
            VolumeSnapshotCrds.Install(server);
            server.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", Driver, isDefault: true));
        }

        server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        if (csiDriver)
        {
            server.Create(StorageObjects.CsiDriver(Driver));
        }

        return (server, client);
    }

    /// <summary>
    /// Snapshots data-db-0 and data-db-1 as the volumes layer does, and writes backup <see cref="BackupId"/> of shop;
    /// <paramref name="record"/> may change a record (an application-consistent one, a larger restoreSize), <paramref name="archived"/>
    /// an object as archived.
    /// </summary>
    public async Task<BackupRecord> BackUpAsync(Func<VolumeSnapshotRecord, VolumeSnapshotRecord>? record = null, Action<KubeObject>? archived = null)
    {
        var objects = new List<(ApiResource Resource, KubeObject Object)>
        {
            (Namespaces, (await ProdClient.GetAsync(Namespaces, null, "shop"))!),
            (StatefulSets, (await ProdClient.GetAsync(StatefulSets, "shop", "db"))!),
        };
        var records = new List<VolumeSnapshotRecord>();
        var artifacts = new List<(string Path, byte[] Content)>();
        foreach (var claimName in Protected.Append("shared"))
        {
            var claim = (await ProdClient.GetAsync(VolumeSnapshotApi.Claims, "shop", claimName))!;
            objects.Add((VolumeSnapshotApi.Claims, claim));
            objects.Add((VolumeSnapshotApi.Volumes, (await ProdClient.GetAsync(VolumeSnapshotApi.Volumes, null, claim.GetString("spec.volumeName")!))!));
        }

        foreach (var claimName in Protected)
        {
            var (snapshot, content, claim) = await SnapshotAsync(claimName);
            objects.Add((VolumeSnapshotApi.VolumeSnapshots, snapshot));
            objects.Add((VolumeSnapshotApi.VolumeSnapshotContents, content));
            var taken = Record(claim, snapshot, content);
            taken = record?.Invoke(taken) ?? taken;
            records.Add(taken);
            artifacts.Add((taken.Path!, JsonSerializer.SerializeToUtf8Bytes(
                new VolumeSnapshotArtifact(taken, claim.Json, snapshot.Json, content.Json), StrataJson.Default.VolumeSnapshotArtifact)));
        }

        await foreach (var configMap in ProdClient.ListAsync(ConfigMaps, new ListRequest("shop")))
        {
            objects.Add((ConfigMaps, configMap));
        }

        // A user's own VolumeSnapshot: restored like any other object.
        var manual = await ProdClient.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", StorageObjects.VolumeSnapshot("shop", "before-upgrade", "data-db-0"));
        objects.Add((VolumeSnapshotApi.VolumeSnapshots, (await ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", manual.Name))!));

        foreach (var (_, obj) in objects)
        {
            archived?.Invoke(obj);
        }

        return await WriteAsync(objects, records, artifacts);
    }

    private async Task<(KubeObject Snapshot, KubeObject Content, KubeObject Claim)> SnapshotAsync(string claim)
    {
        var body = StorageObjects.VolumeSnapshot("shop", VolumeSnapshotName.For(claim, BackupId), claim, "csi-azuredisk-vsc");
        body["metadata"]!["labels"] = new JsonObject
        {
            [StrataLabels.BackupId] = BackupId, [StrataLabels.Policy] = "nightly", [StrataLabels.ManagedBy] = StrataLabels.Manager,
        };
        await ProdClient.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", body);
        var snapshot = (await ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", body["metadata"]!["name"]!.GetValue<string>()))!;
        var content = (await ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.GetString("status.boundVolumeSnapshotContentName")!))!;
        Assert.Equal("true", snapshot.Json["status"]!["readyToUse"]!.ToJsonString());
        return (snapshot, content, (await ProdClient.GetAsync(VolumeSnapshotApi.Claims, "shop", claim))!);
    }

    private static VolumeSnapshotRecord Record(KubeObject claim, KubeObject snapshot, KubeObject content) => new()
    {
        Namespace = "shop",
        Claim = claim.Name,
        Path = ArtifactLayout.VolumeRecordPath("shop", claim.Name),
        StorageClass = claim.GetString("spec.storageClassName"),
        Driver = content.GetString("spec.driver"),
        VolumeSnapshotClass = snapshot.GetString("spec.volumeSnapshotClassName"),
        RequestedSize = claim.GetString("spec.resources.requests.storage"),
        AccessModes = ["ReadWriteOnce"],
        VolumeMode = claim.GetString("spec.volumeMode") ?? "Filesystem",
        SnapshotName = snapshot.Name,
        SnapshotUid = snapshot.Uid,
        ContentName = content.Name,
        SnapshotHandle = content.GetString("status.snapshotHandle"),
        RestoreSize = snapshot.GetString("status.restoreSize"),
        RestoreSizeBytes = content.Json["status"]!["restoreSize"]!.GetValue<long>(),
        DeletionPolicy = content.GetString("spec.deletionPolicy"),
        ReadyToUse = true,
    };

    private async Task<BackupRecord> WriteAsync(
        List<(ApiResource Resource, KubeObject Object)> objects, List<VolumeSnapshotRecord> records, List<(string Path, byte[] Content)> volumeArtifacts)
    {
        var entries = new List<ArtifactEntry>();
        await using (var writer = await Store.CreateAsync(Prefix + ArtifactLayout.ResourcesArchive))
        {
            await using (var archive = new ResourceArchiveWriter(writer.Content, DateTimeOffset.UnixEpoch))
            {
                foreach (var (resource, obj) in objects)
                {
                    await archive.WriteEntryAsync(ArtifactLayout.ResourcePath(resource, obj.Namespace, obj.Name), KubeObjectJson.Serialize(obj));
                }

                entries.Add(await archive.CompleteAsync(ArtifactLayout.ResourcesArchive));
            }

            await writer.CommitAsync();
        }

        foreach (var (path, content) in volumeArtifacts)
        {
            await using var writer = await Store.CreateAsync(Prefix + path);
            await writer.Content.WriteAsync(content);
            await writer.CommitAsync();
            entries.Add(new ArtifactEntry(path, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))));
        }

        var manifest = new BackupManifest
        {
            FormatVersion = ArtifactFormat.Version,
            Tool = new ToolInfo("strata", "test"),
            BackupId = BackupId,
            Cluster = "prod",
            Policy = "nightly",
            ServerVersion = "v1.31.4",
            Scope = new BackupScope().ToSummary(),
            StartedAt = DateTimeOffset.UnixEpoch,
            CompletedAt = DateTimeOffset.UnixEpoch,
            Status = BackupStatus.Succeeded,
            Counts = new ObjectCounts(objects.Count, new Dictionary<string, long>(), new Dictionary<string, long> { ["shop"] = objects.Count(o => o.Object.Namespace == "shop") }),
            GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
            Artifacts = entries,
            Volumes = records,
            UnprotectedVolumes = [new UnprotectedVolume("shop", "shared", "azurefile", "file.csi.azure.com", "no VolumeSnapshotClass for driver file.csi.azure.com")],
        };
        await using (var manifestWriter = await Store.CreateAsync(Prefix + ArtifactLayout.Manifest))
        {
            await manifestWriter.Content.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest));
            await manifestWriter.CommitAsync();
        }

        var backup = new BackupRecord
        {
            Id = BackupId, Cluster = "prod", Policy = "nightly", Status = BackupStatus.Verified, StartedAt = DateTimeOffset.UnixEpoch,
            CompletedAt = DateTimeOffset.UnixEpoch, Location = Prefix, Scope = manifest.Scope, Artifacts = entries,
        };
        await History.SaveBackupAsync(backup);
        return backup;
    }

    /// <summary>A restore into <paramref name="target"/>, waiting for snapshots at most <paramref name="readyTimeout"/> (default 10 s).</summary>
    public BackupRestore Restore(IClusterWriter target, TimeSpan? readyTimeout = null) => new(target, Store, History, TimeProvider.System, Options(readyTimeout));

    public static RestoreOptions Options(TimeSpan? readyTimeout = null) => new()
    {
        SnapshotReadyTimeout = readyTimeout ?? TimeSpan.FromSeconds(10),
        SnapshotPollInterval = TimeSpan.FromMilliseconds(20),
    };

    public static RestoreRequest Request(string target = "prod", string? mapTo = null, bool dryRun = false, string restoreId = "20261130-031500-4e5t0e")
    {
        NamespaceMapping.TryParse(mapTo is null ? [] : [$"shop:{mapTo}"], out var mapping, out _);
        return new RestoreRequest { RestoreId = restoreId, BackupId = BackupId, TargetCluster = target, NamespaceMapping = mapping, DryRun = dryRun };
    }

    /// <summary>Reads the object until <paramref name="done"/> holds (a few seconds at most).</summary>
    public static async Task<KubeObject> UntilAsync(IClusterWriter cluster, ApiResource resource, string? ns, string name, Func<KubeObject, bool> done)
    {
        KubeObject? last = null;
        for (var i = 0; i < 200; i++)
        {
            last = await cluster.GetAsync(resource, ns, name);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"{resource.Kind} {ns}/{name} never got there; last seen: {last?.Json.ToJsonString() ?? "not found"}");
        return last!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private sealed class Owned(SandboxApiServer server, KubernetesClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await server.DisposeAsync();
        }
    }
}

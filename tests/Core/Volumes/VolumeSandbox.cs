using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Fakes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>
/// A sandbox API server with the CSI snapshot CRDs and the simulated snapshot controller, an Azure Disk StorageClass
/// <c>managed-csi</c> with its default VolumeSnapshotClass <c>csi-azuredisk-vsc</c>, namespace <c>shop</c>; reached over
/// HTTPS by the real client. Hooked pods answer exec through <see cref="Exec"/>, which logs every command with how many
/// of the backup's VolumeSnapshots existed when it ran (so a test reads the order pre → create → post).
/// </summary>
internal sealed class VolumeSandbox : IAsyncDisposable
{
    public const string BackupId = "20261121-023000-a1b2c3";
    public const string Driver = "disk.csi.azure.com";

    private VolumeSandbox(SandboxApiServer server)
    {
        Server = server;
        Client = new KubernetesClient(Kubeconfig.Parse(server.Kubeconfig("prod"), "test kubeconfig").Resolve());
    }

    public SandboxApiServer Server { get; }

    public KubernetesClient Client { get; }

    public MemoryArtifactStore Store { get; } = new();

    /// <summary>Every exec, in order, with the VolumeSnapshots that existed when it ran.</summary>
    public ConcurrentQueue<ExecCall> Exec { get; } = new();

    /// <summary>Starts the sandbox; <paramref name="installed"/> false leaves the snapshot CRDs and controller out.</summary>
    public static async Task<VolumeSandbox> StartAsync(SimulatedSnapshots? snapshots = null, bool installed = true)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = installed ? snapshots ?? new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50) } : null },
        });
        server.CreateNamespace("shop");
        if (installed)
        {
            VolumeSnapshotCrds.Install(server);
            server.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", Driver, isDefault: true));
        }

        server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        return new VolumeSandbox(server);
    }

    /// <summary>A claim, bound at once when its class provisions (<c>managed-csi</c>).</summary>
    public JsonObject Claim(string name, string? storageClass = "managed-csi", IReadOnlyDictionary<string, string>? labels = null, string ns = "shop") =>
        Server.Create(StorageObjects.Claim(ns, name, storageClass, "5Gi", labels));

    /// <summary>A Running pod mounting <paramref name="claims"/>, whose exec runs <paramref name="exec"/> (default: log and exit 0).</summary>
    public JsonObject Pod(string name, IReadOnlyList<string> claims, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? annotations = null,
        Func<IReadOnlyList<string>, (int Exit, string Stderr)>? exec = null, IReadOnlyList<string>? containers = null, TimeSpan? delay = null, string phase = "Running")
    {
        var pod = StorageObjects.Pod("shop", name, claims, labels, annotations, containers);
        pod["spec"]!["nodeName"] = "node-1";
        pod["status"] = new JsonObject { ["phase"] = phase };
        var created = Server.Create(pod);
        Server.BindExec("shop", name, async (session, cancellationToken) =>
        {
            var snapshots = Server.Store.FindType("snapshot.storage.k8s.io", "volumesnapshots") is { } type
                ? Server.Store.Open(type).Items.Select(i => i.ToJson("snapshot.storage.k8s.io/v1", "VolumeSnapshot")).ToList()
                : [];
            Exec.Enqueue(new ExecCall(name, string.Join(' ', session.Request.Command),
                [.. snapshots.Select(v => v["spec"]!["source"]!["persistentVolumeClaimName"]!.GetValue<string>())],
                [.. snapshots.Where(v => v["status"]?["readyToUse"]?.GetValue<bool>() == true).Select(v => v["spec"]!["source"]!["persistentVolumeClaimName"]!.GetValue<string>())]));
            if (delay is { } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var (exit, stderr) = exec?.Invoke(session.Request.Command) ?? (0, "");
            await session.Stderr.WriteAsync(Encoding.UTF8.GetBytes(stderr), cancellationToken);
            return exit;
        });
        return created;
    }

    /// <summary>The context of a layer in backup <paramref name="backupId"/> of policy nightly on cluster prod.</summary>
    public LayerContext Context(TimeProvider? time = null, string backupId = BackupId, IArtifactStore? store = null) =>
        new(store ?? Store, ArtifactLayout.BackupPrefix("prod", "nightly", backupId), new OperationResult(), time ?? TimeProvider.System)
        {
            BackupId = backupId,
            Policy = "nightly",
            Cluster = "prod",
        };

    /// <summary>
    /// A snapshot timeout for tests where one snapshot never becomes ready (an error is not the end of a snapshot, so the
    /// layer waits for the timeout), long enough for the others, which are ready in well under a second.
    /// </summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Settings that snapshot every claim, polling every 20 ms.</summary>
    public static VolumeSettings Snapshot(params SnapshotClassRule[] classes) =>
        new() { Mode = VolumeSnapshotMode.Snapshot, PollInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(30), Classes = classes };

    /// <summary>The layer over the whole cluster (or <paramref name="scope"/>).</summary>
    public VolumeLayer Layer(VolumeSettings settings, BackupScope? scope = null, IReadOnlyList<DatabaseTarget>? databases = null, IOnlineBackups? online = null, IClusterWriter? client = null) =>
        new(settings, scope ?? new BackupScope { IncludeNamespaces = ["shop"] }, databases ?? [], client ?? Client, online);

    /// <summary>The VolumeSnapshots in shop.</summary>
    public async Task<List<KubeObject>> SnapshotsAsync()
    {
        var snapshots = new List<KubeObject>();
        await foreach (var snapshot in Client.ListAsync(VolumeSnapshotApi.VolumeSnapshots, new ListRequest("shop")))
        {
            snapshots.Add(snapshot);
        }

        return snapshots;
    }

    /// <summary>A stored artifact, parsed.</summary>
    public JsonNode Artifact(LayerContext context, string path) =>
        JsonNode.Parse(Store.Artifacts[ArtifactLayout.ArtifactKey(context.BackupPrefix, path)])!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>One exec in a hooked pod: the command, and the claims whose VolumeSnapshots existed (and were ready) when it ran.</summary>
internal sealed record ExecCall(string Pod, string Command, IReadOnlyList<string> Snapshots, IReadOnlyList<string> Ready);

using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Sandbox;
using Strata.TestKit.CloudNativePg;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Databases.CloudNativePg;

/// <summary>
/// A sandbox API server with CloudNativePG's CRDs, a Cluster <c>shop/pg-main</c> (Barman Cloud to an object store) and
/// the simulated operator, reached over HTTPS by the real client; a memory store for what the layer commits.
/// </summary>
internal sealed class CloudNativePgSandbox : IAsyncDisposable
{
    public const string BackupId = "20261121-023000-a1b2c3";

    private CloudNativePgSandbox(SandboxApiServer server)
    {
        Server = server;
        Client = new KubernetesClient(Kubeconfig.Parse(server.Kubeconfig("prod"), "test kubeconfig").Resolve());
    }

    public SandboxApiServer Server { get; }

    public KubernetesClient Client { get; }

    public MemoryArtifactStore Store { get; } = new();

    public static readonly CloudNativePgTarget Main = new() { Namespace = "shop", Cluster = "pg-main" };

    /// <summary>Starts the sandbox; <paramref name="installed"/> false leaves CloudNativePG out (no CRDs, no operator).</summary>
    public static async Task<CloudNativePgSandbox> StartAsync(SimulatedCloudNativePg? simulated = null, bool installed = true, Action<JsonObject>? clusterSpec = null)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { CloudNativePg = installed ? simulated ?? new SimulatedCloudNativePg() : null },
        });
        server.CreateNamespace("shop");
        if (installed)
        {
            CloudNativePgCrds.Install(server);
            server.Create(CloudNativePgCrds.Cluster("shop", "pg-main", clusterSpec));
        }

        return new CloudNativePgSandbox(server);
    }

    /// <summary>The context of a layer in backup <paramref name="backupId"/> of policy nightly on cluster prod.</summary>
    public LayerContext Context(TimeProvider? time = null, string backupId = BackupId, IArtifactStore? store = null) =>
        new(store ?? Store, ArtifactLayout.BackupPrefix("prod", "nightly", backupId), new OperationResult(), time ?? TimeProvider.System)
        {
            BackupId = backupId,
            Policy = "nightly",
            Cluster = "prod",
        };

    /// <summary>The layer for <paramref name="targets"/> (default: shop/pg-main), polling every 20 ms unless told.</summary>
    public CloudNativePgLayer Layer(TimeSpan? poll = null, params CloudNativePgTarget[] targets) =>
        new(targets.Length == 0 ? [Main] : targets, Client, new CloudNativePgOptions { PollInterval = poll ?? TimeSpan.FromMilliseconds(20) }, TimeSpan.FromHours(26));

    /// <summary>The Backups in shop.</summary>
    public async Task<List<KubeObject>> BackupsAsync()
    {
        var backups = new List<KubeObject>();
        await foreach (var backup in Client.ListAsync(CloudNativePgApi.Backups, new ListRequest("shop")))
        {
            backups.Add(backup);
        }

        return backups;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

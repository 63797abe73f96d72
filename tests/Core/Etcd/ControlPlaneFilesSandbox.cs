using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Etcd;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// A sandbox with the simulated kubelet, reached over HTTPS by the real client, whose control-plane nodes each have a
/// kubeadm <c>/etc/kubernetes</c> in a temporary folder (<see cref="SampleControlPlaneFiles"/>): exec in a Pod on a node
/// runs the real <c>sh</c> and <c>tar</c> (the host's, or BusyBox's: <see cref="Container"/>) against that node's folder
/// (<see cref="NodeFilesExec"/>). Every exec is logged
/// with the Pod as the sandbox stored it when the command arrived; <see cref="Tar"/> replaces tar when a test wants it to fail.
/// </summary>
internal sealed class ControlPlaneFilesSandbox : IAsyncDisposable
{
    public const string BackupId = "20261121-023000-a1b2c3";
    public const string Image = "registry.k8s.io/busybox:1.36";

    private readonly TempDirectory _root = new();
    private readonly Dictionary<string, string> _folders = [];
    private SandboxApiServer _server = null!;

    private ControlPlaneFilesSandbox()
    {
    }

    public SandboxApiServer Server => _server;

    public KubernetesClient Client { get; private set; } = null!;

    public MemoryArtifactStore Store { get; } = new();

    /// <summary>Every exec: the command, and the Pod as stored when it ran.</summary>
    public ConcurrentQueue<(IReadOnlyList<string> Command, JsonObject Pod)> Execs { get; } = new();

    /// <summary>Plays <c>tar</c> instead of the real one when set.</summary>
    public PodExecHandler? Tar { get; set; }

    /// <summary>How the Pod's commands run against a node's folder (default: the host's programs, GNU's <c>sh</c> and <c>tar</c>).</summary>
    public HostProcessExec Container { get; set; } = new();

    /// <summary>Starts the sandbox with control-plane nodes <paramref name="nodes"/> (each with its files) and a worker, <c>worker-1</c>.</summary>
    public static async Task<ControlPlaneFilesSandbox> StartAsync(SimulatedKubelet? kubelet = null, params string[] nodes)
    {
        var world = new ControlPlaneFilesSandbox();
        world._server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { Kubelet = kubelet ?? new SimulatedKubelet() },
            PodExec = world.ExecAsync,
        });
        world.Client = new KubernetesClient(Kubeconfig.Parse(world._server.Kubeconfig("prod"), "test kubeconfig").Resolve());
        foreach (var node in nodes.Length == 0 ? ["cp-1"] : nodes)
        {
            world.AddNode(node);
        }

        world._server.CreateNode("worker-1");
        return world;
    }

    /// <summary>A control-plane node with its files (<paramref name="ready"/> false: NotReady).</summary>
    public string AddNode(string node, bool ready = true)
    {
        _server.CreateNode(node, controlPlane: true, ready: ready);
        return _folders[node] = SampleControlPlaneFiles.Write(Path.Combine(_root.Path, node), node);
    }

    /// <summary>The folder standing for <paramref name="node"/>'s <c>/etc/kubernetes</c>.</summary>
    public string Folder(string node) => _folders[node];

    /// <summary>Settings that take the files (keys allowed), with the kubeconfigs when asked.</summary>
    public static ControlPlaneFilesSettings Settings(bool kubeconfigs = false, TimeSpan? timeout = null) => new()
    {
        Image = Image,
        AllowUnencryptedKeys = true,
        Kubeconfigs = kubeconfigs,
        Timeout = timeout ?? TimeSpan.FromMinutes(5),
    };

    public ControlPlaneFiles Files(ControlPlaneFilesSettings settings) => new(settings, Client);

    /// <summary>The context of the etcd layer in backup <see cref="BackupId"/> of policy nightly on cluster prod.</summary>
    public LayerContext Context() =>
        new(Store, ArtifactLayout.BackupPrefix("prod", "nightly", BackupId), new OperationResult(), TimeProvider.System) { BackupId = BackupId };

    /// <summary>The stored bytes of a committed artifact, or null.</summary>
    public byte[]? Stored(string path) => Store.Artifacts.TryGetValue(ArtifactLayout.ArtifactKey(ArtifactLayout.BackupPrefix("prod", "nightly", BackupId), path), out var bytes) ? bytes : null;

    /// <summary>The Pods in kube-system now.</summary>
    public async Task<List<KubeObject>> PodsAsync()
    {
        var pods = new List<KubeObject>();
        await foreach (var pod in Client.ListAsync(ControlPlaneFiles.Pods, new ListRequest("kube-system")))
        {
            pods.Add(pod);
        }

        return pods;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        _root.Dispose();
    }

    private Task<int> ExecAsync(PodExecSession session, CancellationToken cancellationToken)
    {
        var type = _server.Store.FindType("", "pods")!;
        var pod = _server.Store.Get(type, session.Request.Namespace, session.Request.Pod)!.ToJson("v1", "Pod");
        Execs.Enqueue((session.Request.Command, pod));
        return session.Request.Command[0] == "tar" && Tar is { } tar
            ? tar(session, cancellationToken)
            : new NodeFilesExec(_folders) { Host = Container }.RunAsync(session, cancellationToken);
    }
}

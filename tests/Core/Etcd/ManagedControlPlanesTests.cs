using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.Core.Results;
using Strata.Sandbox;
using Strata.TestKit.Etcd;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Etcd;

/// <summary>A managed control plane recognised from the sandbox's <c>/version</c> and node labels, over real HTTP: the etcd layer is "not applicable", never a failure.</summary>
public sealed class ManagedControlPlanesTests
{
    [Theory]
    [InlineData("v1.29.3-eks-adc7111", "EKS")]
    [InlineData("v1.29.4-gke.1043002", "GKE")]
    [InlineData("v1.30.1", null)]
    [InlineData("v1.30.1+k3s1", null)]
    public void FromVersion_NamesThePlatformItsVersionCarries(string gitVersion, string? platform) =>
        Assert.Equal(platform, ManagedControlPlanes.FromVersion(gitVersion));

    [Theory]
    [InlineData("v1.29.3-eks-adc7111", null, "EKS")]
    [InlineData("v1.30.1", "kubernetes.azure.com/cluster", "AKS")]
    [InlineData("v1.30.1", "eks.amazonaws.com/nodegroup", "EKS")]
    [InlineData("v1.30.1", "cloud.google.com/gke-nodepool", "GKE")]
    [InlineData("v1.30.1", "node-role.kubernetes.io/control-plane", null)]
    [InlineData("v1.30.1", null, null)]
    public async Task RecognizeAsync_FromTheVersionOrOneNode(string gitVersion, string? nodeLabel, string? platform)
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxOptions { GitVersion = gitVersion });
        if (nodeLabel is not null)
        {
            server.Create(Node("node-1", nodeLabel));
        }

        using var client = Client(server);

        Assert.Equal(platform, await ManagedControlPlanes.RecognizeAsync(client));
    }

    [Fact]
    public async Task CaptureAsync_AksCluster_NotApplicableManagedControlPlane_FilesOffToo_NoProblem()
    {
        await using var server = await SandboxApiServer.StartAsync();
        server.Create(Node("aks-nodepool1-0", "kubernetes.azure.com/cluster"));
        using var client = Client(server);
        var result = new OperationResult();
        var settings = new EtcdSettings { ControlPlaneFiles = new ControlPlaneFilesSettings { Image = "busybox:1.36", AllowUnencryptedKeys = true } };
        var layer = new EtcdLayer(settings, new ClusterDefinition { Name = "aks-prod", Context = "aks" }, new FakeEtcdConnector(), client);

        var capture = await layer.CaptureAsync(new LayerContext(new MemoryArtifactStore(), "backups/aks-prod/nightly/20261121-023000-a1b2c3/", result, TimeProvider.System));

        Assert.Empty(result.Problems);
        Assert.Empty(capture.Artifacts);
        Assert.Equal("managed control plane (AKS)", capture.Etcd!.NotApplicable);
        Assert.Equal("managed control plane (AKS): no control-plane node to copy from", capture.Etcd.ControlPlaneFilesOff);
        Assert.Empty(capture.Etcd.ControlPlaneFiles);
    }

    [Theory]
    [InlineData(new[] { "cp-1:control-plane", "worker-1:", "cp-2:control-plane" }, "cp-1, cp-2")]
    [InlineData(new[] { "old-cp:master", "worker-1:" }, "old-cp")]
    [InlineData(new[] { "cp-1:control-plane", "cp-2:control-plane", "cp-3:control-plane", "cp-4:control-plane", "cp-5:control-plane" }, "cp-1, cp-2, cp-3, …")]
    public async Task CaptureAsync_NoEtcdConfigured_ControlPlaneNodesShow_NotApplicable_WithAWarningNamingThem(string[] nodes, string named)
    {
        await using var server = await SandboxApiServer.StartAsync();
        foreach (var node in nodes)
        {
            var (name, role) = (node.Split(':')[0], node.Split(':')[1]);
            server.Create(Node(name, role.Length > 0 ? $"node-role.kubernetes.io/{role}" : "kubernetes.io/os"));
        }

        using var client = Client(server);
        var result = new OperationResult();
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "kubeadm-prod", Context = "kubeadm" }, new FakeEtcdConnector(), client);

        var capture = await layer.CaptureAsync(new LayerContext(new MemoryArtifactStore(), "backups/kubeadm-prod/nightly/20261121-023000-a1b2c3/", result, TimeProvider.System));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.EtcdMisconfigured, "etcd", "snapshot"), (problem.Severity, problem.Reason, problem.Resource, problem.Name));
        Assert.Equal($"cluster kubeadm-prod shows control-plane nodes ({named}) — a self-managed control plane whose etcd Strata cannot reach: add etcd: to the cluster in strata.yaml",
            problem.Message);
        Assert.Equal("no etcd endpoints configured for cluster kubeadm-prod (a managed control plane, or add etcd: to the cluster in strata.yaml)", capture.Etcd!.NotApplicable);
    }

    [Fact]
    public async Task CaptureAsync_NoEtcdConfigured_OnlyWorkerNodes_NotApplicable_NoProblem()
    {
        await using var server = await SandboxApiServer.StartAsync();
        server.Create(Node("worker-1", "kubernetes.io/os"));
        using var client = Client(server);
        var result = new OperationResult();
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "c" }, new FakeEtcdConnector(), client);

        var capture = await layer.CaptureAsync(new LayerContext(new MemoryArtifactStore(), "backups/prod/nightly/20261121-023000-a1b2c3/", result, TimeProvider.System));

        Assert.Empty(result.Problems);
        Assert.NotNull(capture.Etcd!.NotApplicable);
    }

    private static KubernetesClient Client(SandboxApiServer server) => new(Kubeconfig.Parse(server.Kubeconfig("prod"), "test kubeconfig").Resolve());

    private static JsonObject Node(string name, string label) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [label] = "x" } },
    };
}

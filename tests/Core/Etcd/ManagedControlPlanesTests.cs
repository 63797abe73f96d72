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

    private static KubernetesClient Client(SandboxApiServer server) => new(Kubeconfig.Parse(server.Kubeconfig("prod"), "test kubeconfig").Resolve());

    private static JsonObject Node(string name, string label) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [label] = "x" } },
    };
}

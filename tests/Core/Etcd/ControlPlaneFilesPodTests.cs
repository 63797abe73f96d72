using System.Text.Json.Nodes;
using Strata.Core.Etcd;

namespace Strata.Core.Tests.Etcd;

public sealed class ControlPlaneFilesPodTests
{
    [Theory]
    [InlineData("cp-1")]
    [InlineData("ip-10-0-12-34.eu-west-1.compute.internal")]
    [InlineData("A-Node_With.Strange-Name-that-is-much-longer-than-any-label-could-ever-hold-in-kubernetes")]
    public void Name_AnyNode_IsADns1123LabelOfTheNodeAndBackup(string node)
    {
        var name = ControlPlaneFilesPod.Name(node, "20261121-023000-a1b2c3");

        Assert.Matches("^strata-cp-files-[0-9a-f]{8}-a1b2c3$", name);
        Assert.True(name.Length <= 63);
        Assert.Equal(name, ControlPlaneFilesPod.Name(node, "20261121-023000-a1b2c3"));
    }

    [Fact]
    public void Name_TwoNodesOrTwoBackups_Differ()
    {
        Assert.NotEqual(ControlPlaneFilesPod.Name("cp-1", "20261121-023000-a1b2c3"), ControlPlaneFilesPod.Name("cp-2", "20261121-023000-a1b2c3"));
        Assert.NotEqual(ControlPlaneFilesPod.Name("cp-1", "20261121-023000-a1b2c3"), ControlPlaneFilesPod.Name("cp-1", "20261121-023000-d4e5f6"));
    }

    [Fact]
    public void Build_CustomRootAndTimeout_MountsItUnderHostAndStopsAtTheDeadline()
    {
        var settings = new ControlPlaneFilesSettings { Image = "busybox:1.36", Root = "/var/lib/rancher/rke2/server/", Namespace = "strata", Timeout = TimeSpan.FromSeconds(90.5) };

        var pod = ControlPlaneFilesPod.Build(settings, "cp-1", "p", "b");

        Assert.Equal("strata", pod["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("/host/var/lib/rancher/rke2/server", pod["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal("/var/lib/rancher/rke2/server/", pod["spec"]!["volumes"]![0]!["hostPath"]!["path"]!.GetValue<string>());
        Assert.Equal(91, pod["spec"]!["activeDeadlineSeconds"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("node-role.kubernetes.io/control-plane", "", "NoSchedule")] // kubeadm
    [InlineData("node-role.kubernetes.io/master", "", "NoSchedule")] // kubeadm before 1.24
    [InlineData("CriticalAddonsOnly", "true", "NoExecute")] // k3s and RKE2 servers
    [InlineData("node-role.kubernetes.io/etcd", "true", "NoExecute")] // RKE2's etcd-only nodes
    [InlineData("node.kubernetes.io/unreachable", "", "NoExecute")] // a node gone quiet mid-copy
    public void Build_PinnedPod_ToleratesTheTaintsTheKubeletEnforces_NoExecuteToo(string key, string value, string effect)
    {
        // nodeName bypasses the scheduler; the kubelet admits the Pod only if it tolerates the node's NoExecute taints.
        var pod = ControlPlaneFilesPod.Build(new ControlPlaneFilesSettings { Image = "busybox:1.36" }, "cp-1", "p", "b");

        var tolerations = pod["spec"]!["tolerations"]!.AsArray().Select(t => t!.AsObject()).ToList();

        Assert.Contains(tolerations, t => Tolerates(t, key, value, effect));
    }

    /// <summary>Kubernetes' rule: the effect empty or equal; the key empty with Exists (every taint) or equal; Exists any value, Equal the same one.</summary>
    private static bool Tolerates(JsonObject toleration, string key, string value, string effect)
    {
        string Field(string name) => toleration[name]?.GetValue<string>() ?? "";
        var exists = Field("operator") == "Exists";
        return (Field("effect").Length == 0 || Field("effect") == effect)
            && (Field("key").Length == 0 ? exists : Field("key") == key)
            && (exists || Field("value") == value);
    }
}

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
}

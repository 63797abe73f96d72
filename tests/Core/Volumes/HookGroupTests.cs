using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>Hook groups: the connected components of "a hooked pod mounts a claim".</summary>
public sealed class HookGroupTests
{
    private static PlannedClaim Claim(string name, string ns = "shop") =>
        new(new KubeObject(StorageObjects.Claim(ns, name, "managed-csi")), "disk.csi.azure.com", "managed-csi", "vsc");

    private static PodHooks Pod(string name, params string[] claims) =>
        new(new KubeObject(StorageObjects.Pod("shop", name, claims)), [], []);

    [Fact]
    public void Form_PodsSharingClaims_ChainIntoOneGroup_OthersStandAlone()
    {
        PlannedClaim[] claims = [Claim("a"), Claim("b"), Claim("c"), Claim("d"), Claim("e")];

        var groups = HookGroup.Form(claims, [Pod("p2", "c", "d"), Pod("p1", "a", "c"), Pod("p3", "unplanned")]);

        Assert.Equal([["a", "c", "d"], ["b"], ["e"]], groups.Select(g => g.Claims.Select(c => c.Name).ToArray()));
        Assert.Equal(["p1", "p2"], groups[0].Pods.Select(p => p.Pod.Name));
        Assert.Empty(groups[1].Pods);
    }

    [Fact]
    public void Form_TheClaimsOfAnOnlineTarget_AreOneGroup_WithTheTargetAndThePodsThatMountThem()
    {
        PlannedClaim[] claims = [Claim("pgdata"), Claim("pgwal"), Claim("uploads")];
        var online = new OnlineTarget(new Core.Databases.DatabaseTarget { Name = "pg", Namespace = "shop", Databases = ["app"] }, null, null, [claims[0], claims[1]]);

        var groups = HookGroup.Form(claims, [Pod("pg-0", "pgdata")], [online]);

        Assert.Equal([["pgdata", "pgwal"], ["uploads"]], groups.Select(g => g.Claims.Select(c => c.Name).ToArray()));
        Assert.Equal((online, "pg-0"), (Assert.Single(groups[0].Online), Assert.Single(groups[0].Pods).Pod.Name));
        Assert.Empty(groups[1].Online);
    }

    [Fact]
    public void Form_AClaimOfTheSameNameInAnotherNamespace_IsNotThePodsClaim()
    {
        var groups = HookGroup.Form([Claim("data", "other"), Claim("data")], [Pod("web-0", "data")]);

        Assert.Equal(2, groups.Count);
        Assert.Empty(groups.Single(g => g.Claims[0].Namespace == "other").Pods);
        Assert.Single(groups.Single(g => g.Claims[0].Namespace == "shop").Pods);
    }

    [Fact]
    public void PodVolumes_Claims_IncludeGenericEphemeralVolumes_ByTheControllersName()
    {
        var pod = StorageObjects.Pod("shop", "web-0", ["data"]);
        pod["spec"]!["volumes"]!.AsArray().Add(new JsonObject { ["name"] = "scratch", ["ephemeral"] = new JsonObject() });

        Assert.Equal(["data", "web-0-scratch"], PodVolumes.Claims(new KubeObject(pod)));
    }
}

namespace Strata.Sandbox.Tests.Controllers;

public class VolumeBinderTests
{
    private const string Claims = "/api/v1/namespaces/drill/persistentvolumeclaims";
    private const string Classes = "/apis/storage.k8s.io/v1/storageclasses";

    [Fact]
    public async Task Claim_WithAProvisioningClass_IsBoundAfterTheDelayToAProvisionedVolume()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { VolumeBindDelay = TimeSpan.FromSeconds(30) } }, "drill");
        await s.PostAsync(Classes, Fixtures.StorageClass("fast-ssd"));

        var (_, created) = await s.PostAsync(Claims, Fixtures.Claim("drill", "data", "fast-ssd"));
        var (_, pending) = await s.GetAsync($"{Claims}/data");
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var (_, bound) = await s.UntilAsync($"{Claims}/data", (_, c) => c.Str("status.phase") == "Bound");
        var volumeName = bound.Str("spec.volumeName")!;
        var (volumeCode, volume) = await s.GetAsync($"/api/v1/persistentvolumes/{volumeName}");

        Assert.Equal(("Pending", "Filesystem"), (created.Str("status.phase"), created.Str("spec.volumeMode")));
        Assert.Equal("Pending", pending.Str("status.phase"));
        Assert.Null(pending.Str("spec.volumeName"));
        Assert.Equal($"pvc-{created.Str("metadata.uid")}", volumeName);
        Assert.Equal(("5Gi", "ReadWriteOnce"), (bound.Str("status.capacity.storage"), bound.Str("status.accessModes.0")));
        var annotations = bound["metadata"]!["annotations"]!;
        Assert.Equal(("yes", "yes", "disk.csi.azure.com"), (annotations["pv.kubernetes.io/bind-completed"]!.GetValue<string>(),
            annotations["pv.kubernetes.io/bound-by-controller"]!.GetValue<string>(),
            annotations["volume.kubernetes.io/storage-provisioner"]!.GetValue<string>()));
        Assert.Equal(200, volumeCode);
        Assert.Equal(("Bound", "5Gi", "Delete", "fast-ssd", "disk.csi.azure.com"), (volume.Str("status.phase"), volume.Str("spec.capacity.storage"),
            volume.Str("spec.persistentVolumeReclaimPolicy"), volume.Str("spec.storageClassName"), volume.Str("spec.csi.driver")));
        Assert.Equal(("drill", "data", created.Str("metadata.uid")), (volume.Str("spec.claimRef.namespace"), volume.Str("spec.claimRef.name"), volume.Str("spec.claimRef.uid")));
        Assert.Equal("disk.csi.azure.com", volume["metadata"]!["annotations"]!["pv.kubernetes.io/provisioned-by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Claim_OfAClassThatNeverBinds_StaysPending()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { NeverBinds = c => c.Field("spec.storageClassName") == "broken-csi" },
        }, "drill");
        await s.PostAsync(Classes, Fixtures.StorageClass("fast-ssd"));
        await s.PostAsync(Classes, Fixtures.StorageClass("broken-csi", "broken.csi.example.com"));

        await s.PostAsync(Claims, Fixtures.Claim("drill", "good", "fast-ssd"));
        await s.PostAsync(Claims, Fixtures.Claim("drill", "stuck", "broken-csi"));
        await s.PostAsync(Claims, Fixtures.Claim("drill", "no-such-class", "missing"));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(100);
        var (_, good) = await s.GetAsync($"{Claims}/good");
        var (_, stuck) = await s.GetAsync($"{Claims}/stuck");
        var (_, missing) = await s.GetAsync($"{Claims}/no-such-class");
        var (_, volumes) = await s.GetAsync("/api/v1/persistentvolumes");

        Assert.Equal("Bound", good.Str("status.phase"));
        Assert.Equal(("Pending", null), (stuck.Str("status.phase"), stuck.Str("spec.volumeName")));
        Assert.Equal("Pending", missing.Str("status.phase"));
        Assert.Equal([good.Str("spec.volumeName")], volumes["items"]!.AsArray().Select(v => v.Str("metadata.name")));
    }

    [Fact]
    public async Task Claim_OfAWaitForFirstConsumerClass_StaysPending_NoPodEverUsesIt()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "drill");
        var lazy = Fixtures.StorageClass("managed-csi");
        lazy["volumeBindingMode"] = "WaitForFirstConsumer";
        await s.PostAsync(Classes, lazy);

        await s.PostAsync(Claims, Fixtures.Claim("drill", "data", "managed-csi"));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(100);
        var (_, claim) = await s.GetAsync($"{Claims}/data");
        var (_, volumes) = await s.GetAsync("/api/v1/persistentvolumes");

        Assert.Equal(("Pending", null), (claim.Str("status.phase"), claim.Str("spec.volumeName")));
        Assert.Empty(volumes["items"]!.AsArray());
    }

    [Fact]
    public async Task Claim_WithoutAClass_GetsTheDefaultClassAndItsDeletionReclaimsTheVolume()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "drill");
        await s.PostAsync(Classes, Fixtures.StorageClass("standard", isDefault: true));

        var (_, created) = await s.PostAsync(Claims, Fixtures.Claim("drill", "data", storageClass: null));
        var (_, bound) = await s.GetAsync($"{Claims}/data");
        var volume = $"/api/v1/persistentvolumes/{bound.Str("spec.volumeName")}";
        var (before, _) = await s.GetAsync(volume);
        await s.DeleteAsync($"{Claims}/data");
        var (after, _) = await s.GetAsync(volume);

        Assert.Equal("standard", created.Str("spec.storageClassName"));
        Assert.Equal("Bound", bound.Str("status.phase"));
        Assert.Equal((200, 404), (before, after));
    }

    [Fact]
    public async Task Claim_NamingAVolume_IsBoundToIt_AndReleasesItWhenDeleted()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "shop");
        SampleApplication.Seed(s.Server); // pv-shop-data, claimed by shop/data, which names it

        var (_, claim) = await s.GetAsync("/api/v1/namespaces/shop/persistentvolumeclaims/data");
        var (_, bound) = await s.GetAsync("/api/v1/persistentvolumes/pv-shop-data");
        await s.DeleteAsync("/api/v1/namespaces/shop/persistentvolumeclaims/data");
        var (_, released) = await s.GetAsync("/api/v1/persistentvolumes/pv-shop-data");

        Assert.Equal(("Bound", "10Gi"), (claim.Str("status.phase"), claim.Str("status.capacity.storage")));
        Assert.Equal(("Bound", claim.Str("metadata.uid")), (bound.Str("status.phase"), bound.Str("spec.claimRef.uid")));
        Assert.Equal("Released", released.Str("status.phase")); // no reclaim policy given: Retain
    }
}

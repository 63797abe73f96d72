using Strata.TestKit.Volumes;
using static Strata.Sandbox.Tests.Controllers.SnapshotSandbox;

namespace Strata.Sandbox.Tests.Controllers;

/// <summary>Claims made from a VolumeSnapshot, as the external-provisioner provisions them, on a clock the test moves.</summary>
public class SnapshotRestoreTests
{
    [Fact]
    public async Task Claim_FromASnapshotNotYetReady_IsPending_ThenBoundOnceItIsReady()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMinutes(5) },
            controllers: new SimulatedControllers { VolumeBindDelay = TimeSpan.FromSeconds(10) });
        s.Clock.Advance(TimeSpan.FromSeconds(10));
        await s.UntilAsync($"{Claims}/data", (_, c) => c.Str("status.phase") == "Bound");
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));

        var (_, created) = await s.PostAsync(Claims, StorageObjects.Claim("shop", "restored", "managed-csi", "5Gi", dataSource: StorageObjects.SnapshotSource("nightly")));
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);
        var (_, pending) = await s.GetAsync($"{Claims}/restored");
        s.Clock.Advance(TimeSpan.FromMinutes(4));
        var ready = await s.SnapshotUntilAsync("nightly", vs => vs.Str("status.readyToUse") == "true");
        s.Clock.Advance(TimeSpan.FromSeconds(10));
        var (_, bound) = await s.UntilAsync($"{Claims}/restored", (_, c) => c.Str("status.phase") == "Bound");
        var (_, volume) = await s.GetAsync($"/api/v1/persistentvolumes/{bound.Str("spec.volumeName")}");

        Assert.Equal(("snapshot.storage.k8s.io", "VolumeSnapshot", "nightly"), // the server copies dataSource into dataSourceRef
            (created.Str("spec.dataSourceRef.apiGroup"), created.Str("spec.dataSourceRef.kind"), created.Str("spec.dataSourceRef.name")));
        Assert.Equal(("Pending", null), (pending.Str("status.phase"), pending.Str("spec.volumeName")));
        Assert.Equal(("5Gi", Driver), (volume.Str("spec.capacity.storage"), volume.Str("spec.csi.driver")));
        var handle = (await s.ContentOfAsync(ready)).Str("status.snapshotHandle");
        Assert.Equal(handle, volume["metadata"]!["annotations"]!["sandbox.strata.dev/restored-from-snapshot"]!.GetValue<string>());
    }

    [Fact]
    public async Task Claim_ThatNamesItsSnapshotInDataSourceRefOnly_GetsDataSourceToo_AndIsBound()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var claim = StorageObjects.Claim("shop", "restored", "managed-csi", "8Gi");
        claim["spec"]!["dataSourceRef"] = StorageObjects.SnapshotSource("nightly");

        var (_, created) = await s.PostAsync(Claims, claim);
        var (_, bound) = await s.GetAsync($"{Claims}/restored");

        Assert.Equal(("VolumeSnapshot", "nightly"), (created.Str("spec.dataSource.kind"), created.Str("spec.dataSource.name")));
        Assert.Equal(("Bound", "8Gi"), (bound.Str("status.phase"), bound.Str("status.capacity.storage"))); // larger than the snapshot is fine
    }

    [Fact]
    public async Task Claim_FromASnapshotOfAnotherDriver_OrSmallerThanIt_StaysPending()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        s.Server.Create(StorageObjects.StorageClass("gp3", "ebs.csi.aws.com"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));

        await s.PostAsync(Claims, StorageObjects.Claim("shop", "other-driver", "gp3", "5Gi", dataSource: StorageObjects.SnapshotSource("nightly")));
        await s.PostAsync(Claims, StorageObjects.Claim("shop", "too-small", "managed-csi", "4Gi", dataSource: StorageObjects.SnapshotSource("nightly")));
        await s.PostAsync(Claims, StorageObjects.Claim("shop", "no-snapshot", "managed-csi", "5Gi", dataSource: StorageObjects.SnapshotSource("missing")));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(100);

        foreach (var name in new[] { "other-driver", "too-small", "no-snapshot" })
        {
            var (_, claim) = await s.GetAsync($"{Claims}/{name}");
            Assert.Equal(("Pending", null), (claim.Str("status.phase"), claim.Str("spec.volumeName")));
        }

        var (_, volumes) = await s.GetAsync("/api/v1/persistentvolumes");
        Assert.Single(volumes["items"]!.AsArray()); // only shop/data's
    }

    [Fact]
    public async Task Claim_FromASnapshotThatFailed_StaysPending_AndOneDeletedWhileWaitingIsForgotten()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { Fails = vs => vs.Name == "broken", SnapshotDelay = TimeSpan.FromMinutes(1) });
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "broken", "data"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "fine", "data"));

        await s.PostAsync(Claims, StorageObjects.Claim("shop", "from-broken", "managed-csi", "5Gi", dataSource: StorageObjects.SnapshotSource("broken")));
        await s.PostAsync(Claims, StorageObjects.Claim("shop", "abandoned", "managed-csi", "5Gi", dataSource: StorageObjects.SnapshotSource("fine")));
        await s.DeleteAsync($"{Claims}/abandoned");
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        await s.SnapshotUntilAsync("fine", vs => vs.Str("status.readyToUse") == "true");
        await s.SnapshotUntilAsync("broken", vs => vs.Str("status.error.message") is not null);
        await Task.Delay(100);
        var (_, fromBroken) = await s.GetAsync($"{Claims}/from-broken");
        var (abandonedCode, _) = await s.GetAsync($"{Claims}/abandoned");
        var (_, volumes) = await s.GetAsync("/api/v1/persistentvolumes");

        Assert.Equal("Pending", fromBroken.Str("status.phase"));
        Assert.Equal(404, abandonedCode);
        Assert.Single(volumes["items"]!.AsArray());
    }

    [Fact]
    public async Task Claim_FromAVolumeSnapshotWithoutTheSimulation_StaysPending()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "shop");
        VolumeSnapshotCrds.Install(s.Server);
        s.Server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));

        await s.PostAsync(Claims, StorageObjects.Claim("shop", "restored", "managed-csi", dataSource: StorageObjects.SnapshotSource("nightly")));
        var (_, claim) = await s.GetAsync($"{Claims}/restored");
        var (_, snapshot) = await s.SnapshotAsync("nightly");

        Assert.Equal("Pending", claim.Str("status.phase"));
        Assert.Null(snapshot["status"]); // no snapshot controller: nothing writes it
        Assert.Null(s.Server.SnapshotBackend);
    }
}

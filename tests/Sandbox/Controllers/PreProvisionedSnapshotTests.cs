using Strata.TestKit.Volumes;
using static Strata.Sandbox.Tests.Controllers.SnapshotSandbox;

namespace Strata.Sandbox.Tests.Controllers;

/// <summary>Snapshots of existing storage snapshots (pre-provisioned contents), in one sandbox and across two sharing a storage system.</summary>
public class PreProvisionedSnapshotTests
{
    private static readonly long TenGi = 10L * 1024 * 1024 * 1024;

    [Fact]
    public async Task Content_OfAHandleTheStorageSystemHas_BindsItsSnapshotAndIsReady()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        var cutAt = new DateTimeOffset(2024, 5, 1, 12, 30, 15, TimeSpan.Zero);
        s.Server.SnapshotBackend!.Add(new StorageSnapshot(Driver, "snap-imported", null, TenGi, cutAt));

        await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("imported", Driver, "snap-imported", "shop", "restored"));
        var (_, created) = await s.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "restored", "imported"));
        var (_, snapshot) = await s.SnapshotAsync("restored");
        var (_, content) = await s.GetAsync($"{Contents}/imported");

        Assert.Equal(created.Str("metadata.uid"), content.Str("spec.volumeSnapshotRef.uid")); // the controller binds it
        Assert.Equal(("snap-imported", "true", TenGi.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (content.Str("status.snapshotHandle"), content.Str("status.readyToUse"), content.Str("status.restoreSize")));
        Assert.Equal(cutAt.ToUnixTimeMilliseconds() * 1_000_000, content["status"]!["creationTime"]!.GetValue<long>());
        Assert.Equal(("imported", "true", "10Gi", "2024-05-01T12:30:15Z"), (snapshot.Str("status.boundVolumeSnapshotContentName"),
            snapshot.Str("status.readyToUse"), snapshot.Str("status.restoreSize"), snapshot.Str("status.creationTime")));
        Assert.Null(snapshot.Str("spec.volumeSnapshotClassName")); // a pre-provisioned snapshot needs no class
    }

    [Fact]
    public async Task Content_OfAHandleTheStorageSystemDoesNotHave_EndsWithTheSidecarsError()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());

        await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("imported", Driver, "snap-nowhere", "shop", "restored"));
        await s.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "restored", "imported"));
        var (_, snapshot) = await s.SnapshotAsync("restored");
        var (_, content) = await s.GetAsync($"{Contents}/imported");

        const string expected = "Failed to check and update snapshot content: failed to list snapshot for content imported: \"can not find snapshot for snapshotID snap-nowhere\"";
        Assert.Equal((expected, "false"), (content.Str("status.error.message"), content.Str("status.readyToUse")));
        Assert.Equal((expected, "false", "imported"), (snapshot.Str("status.error.message"), snapshot.Str("status.readyToUse"), snapshot.Str("status.boundVolumeSnapshotContentName")));
    }

    [Fact]
    public async Task Snapshot_OfAMissingContent_OrOneReservedForAnother_HasTheControllersError_AndBindsWhenItsContentComes()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        s.Server.SnapshotBackend!.Add(new StorageSnapshot(Driver, "snap-1", null, TenGi, s.Clock.GetUtcNow()));
        await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("theirs", Driver, "snap-1", "shop", "someone-else"));

        await s.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "early", "later"));
        await s.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "thief", "theirs"));
        var (_, early) = await s.SnapshotAsync("early");
        var (_, thief) = await s.SnapshotAsync("thief");
        await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("later", Driver, "snap-1", "shop", "early"));
        var bound = await s.SnapshotUntilAsync("early", vs => vs.Str("status.readyToUse") == "true");

        Assert.Equal(("VolumeSnapshotContent is missing", "false"), (early.Str("status.error.message"), early.Str("status.readyToUse")));
        Assert.Equal("VolumeSnapshotContent [theirs] is bound to a different snapshot", thief.Str("status.error.message"));
        Assert.Equal(("later", null), (bound.Str("status.boundVolumeSnapshotContentName"), bound.Str("status.error.message")));
    }

    [Fact]
    public async Task TwoSandboxes_SharingAStorageSystem_ImportAndRestoreASnapshotTakenInTheOther()
    {
        var cloud = new SnapshotBackend();
        await using var production = await StartAsync(new SimulatedSnapshots { Backend = cloud });
        await using var recovery = await StartAsync(new SimulatedSnapshots { Backend = cloud });
        await using var unrelated = await StartAsync(new SimulatedSnapshots());
        await production.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, taken) = await production.SnapshotAsync("nightly");
        var handle = (await production.ContentOfAsync(taken)).Str("status.snapshotHandle")!;

        foreach (var cluster in new[] { recovery, unrelated })
        {
            await cluster.PostAsync(Contents, StorageObjects.PreProvisionedContent("imported", Driver, handle, "shop", "nightly"));
            await cluster.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "nightly", "imported"));
            await cluster.PostAsync(Claims, StorageObjects.Claim("shop", "restored", "managed-csi", "5Gi", dataSource: StorageObjects.SnapshotSource("nightly")));
        }

        var (_, imported) = await recovery.SnapshotAsync("nightly");
        var (_, restored) = await recovery.UntilAsync($"{Claims}/restored", (_, c) => c.Str("status.phase") == "Bound");
        var (_, volume) = await recovery.GetAsync($"/api/v1/persistentvolumes/{restored.Str("spec.volumeName")}");
        var (_, notThere) = await unrelated.SnapshotAsync("nightly");
        var (_, pending) = await unrelated.GetAsync($"{Claims}/restored");

        Assert.Equal(("true", "5Gi"), (imported.Str("status.readyToUse"), imported.Str("status.restoreSize")));
        Assert.Equal(handle, volume["metadata"]!["annotations"]!["sandbox.strata.dev/restored-from-snapshot"]!.GetValue<string>());
        Assert.Equal("false", notThere.Str("status.readyToUse")); // another account's storage system has no such snapshot
        Assert.Equal("Pending", pending.Str("status.phase"));
        Assert.Same(cloud, production.Server.SnapshotBackend);
        Assert.NotSame(cloud, unrelated.Server.SnapshotBackend);
    }
}

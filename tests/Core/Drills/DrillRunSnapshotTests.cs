using Strata.Core.Artifacts;
using Strata.Core.Configuration;
using Strata.Core.Drills;
using Strata.Core.Ports;
using Strata.Core.Restore.Snapshots;
using Strata.Core.Runs;
using Strata.Core.Tests.Restore.Snapshots;
using Strata.Core.Volumes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Drills;

/// <summary>
/// Scratch drills of a backup with volume snapshots, end to end through a sandbox over real HTTPS with the simulated
/// snapshot controller, CSI sidecars and provisioner (<see cref="SnapshotWorld"/>).
/// </summary>
public sealed class DrillRunSnapshotTests
{
    private const string DrillId = "20261130-040000-d1a11e";

    private static DrillRun Drill(SnapshotWorld world) => new(world.ProdClient, world.Store, world.History, TimeProvider.System, new DrillOptions
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        CleanupWait = TimeSpan.FromSeconds(10),
        Restore = SnapshotWorld.Options(),
    });

    private static DrillRequest Request(BackupRecord backup, DrillSettings? settings = null) =>
        new() { DrillId = DrillId, Backup = backup, Target = "prod", Settings = settings ?? new DrillSettings { Timeout = TimeSpan.FromSeconds(30) } };

    [Fact]
    public async Task Scratch_StatefulSetWithThreeClaims_TwoFromTheirSnapshotsOneNotProtected_AllBound_ContentsRemoved_StorageSnapshotsKept()
    {
        await using var world = await SnapshotWorld.StartAsync();
        var backup = await world.BackUpAsync();
        var manifest = (await ManifestFile.ReadAsync(world.Store, backup.Location))!;
        Assert.Equal(2, manifest.Volumes!.Count);
        Assert.Equal("shop/shared", Assert.Single(manifest.UnprotectedVolumes!).Qualified);

        var drill = await Drill(world).RunAsync(Request(backup));

        Assert.True(drill.Status == DrillStatus.Passed, drill.Error);
        var scratch = drill.Namespaces["shop"];
        Assert.Equal(
            [$"persistentvolumeclaims {scratch}/data-db-0: Bound", $"persistentvolumeclaims {scratch}/data-db-1: Bound", $"persistentvolumeclaims {scratch}/shared: Bound"],
            drill.Assertions.Where(a => a.What.StartsWith("persistentvolumeclaims", StringComparison.Ordinal) && a.Passed).Select(a => a.What).Order());
        Assert.Contains(drill.Assertions, a => a.What == $"statefulsets.apps {scratch}/db: rolled out" && a.Passed);
        Assert.Equal(2, drill.Counts["claimsFromSnapshots"]);
        Assert.Equal(2, drill.SnapshotContentsRemoved);
        Assert.Empty(drill.CreatedClusterObjects); // the contents are the drill's own, and gone
        Assert.Empty(drill.Warnings);

        await foreach (var left in world.ProdClient.ListAsync(VolumeSnapshotApi.VolumeSnapshotContents, new ListRequest(LabelSelector: SnapshotRestoreNames.Selector(DrillId))))
        {
            Assert.Fail($"left behind: {left.Name}");
        }

        foreach (var recorded in manifest.Volumes)
        {
            Assert.NotNull(world.Cloud.Find(SnapshotWorld.Driver, recorded.SnapshotHandle!)); // Retain: the backup itself is untouched
            var original = await world.ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", recorded.SnapshotName);
            Assert.Equal("true", original!.Json["status"]!["readyToUse"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Scratch_ClaimOfAWaitForFirstConsumerClass_FromItsSnapshot_HoldsWhilePending()
    {
        await using var world = await SnapshotWorld.StartAsync();
        world.Prod.Create(StorageObjects.StorageClass("managed-csi-wffc", SnapshotWorld.Driver, volumeBindingMode: "WaitForFirstConsumer"));
        var backup = await world.BackUpAsync(archived: o =>
        {
            if (o.Kind == "PersistentVolumeClaim" && o.Name == "data-db-1")
            {
                o.Json["spec"]!["storageClassName"] = "managed-csi-wffc";
            }
        });

        var drill = await Drill(world).RunAsync(Request(backup));

        Assert.True(drill.Status == DrillStatus.Passed, drill.Error);
        var claim = Assert.Single(drill.Assertions, a => a.What.EndsWith("/data-db-1: Bound", StringComparison.Ordinal));
        Assert.Equal("phase Pending: StorageClass managed-csi-wffc binds when a pod first uses the claim (WaitForFirstConsumer)", claim.LastSeen);
        Assert.Equal(2, drill.SnapshotContentsRemoved);
    }

    [Fact]
    public async Task Scratch_SnapshotTheTargetCannotUse_FailsTheDrillNamingTheClaim_AndStillCleansUp()
    {
        await using var world = await SnapshotWorld.StartAsync();
        var backup = await world.BackUpAsync(record: r => r.Claim == "data-db-0" ? r with { SnapshotHandle = "snapshot-gone" } : r);

        var drill = await Drill(world).RunAsync(Request(backup));

        Assert.Equal(DrillStatus.Failed, drill.Status);
        var scratch = drill.Namespaces["shop"];
        var refused = Assert.Single(drill.Refused, r => r.Object == $"persistentvolumeclaims {scratch}/data-db-0");
        Assert.Contains("can not find snapshot for snapshotID snapshot-gone", refused.Reason, StringComparison.Ordinal);
        Assert.Contains(drill.Refused, r => r.Object == $"volumesnapshots.snapshot.storage.k8s.io {scratch}/{SnapshotRestoreNames.Snapshot(DrillId, "data-db-0")}");
        Assert.Equal(2, drill.SnapshotContentsRemoved); // the one whose handle is unknown too
        Assert.Empty(drill.KeptNamespaces);
    }

    [Fact]
    public async Task Scratch_FailedAndKeptForALook_KeepsTheContentsWithTheNamespaces_AndSaysHowToDeleteThem()
    {
        await using var world = await SnapshotWorld.StartAsync();
        var backup = await world.BackUpAsync(record: r => r.Claim == "data-db-0" ? r with { SnapshotHandle = "snapshot-gone" } : r);

        var drill = await Drill(world).RunAsync(Request(backup, new DrillSettings { Timeout = TimeSpan.FromSeconds(30), KeepOnFailure = true }));

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.Equal(0, drill.SnapshotContentsRemoved);
        var warning = Assert.Single(drill.Warnings);
        Assert.StartsWith("2 VolumeSnapshotContent(s) the drill made are kept with its namespaces", warning, StringComparison.Ordinal);
        Assert.Contains($"kubectl delete volumesnapshotcontent -l {SnapshotRestoreNames.Selector(DrillId)}", warning, StringComparison.Ordinal);
    }
}

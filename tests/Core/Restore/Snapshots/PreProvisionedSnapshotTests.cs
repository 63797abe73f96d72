using Strata.Core.Restore.Snapshots;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Restore.Snapshots;

public sealed class PreProvisionedSnapshotTests
{
    private static readonly VolumeSnapshotRecord Record = new()
    {
        Namespace = "shop", Claim = "data", SnapshotName = "strata-b1-data", Driver = "disk.csi.azure.com",
        SnapshotHandle = "/subscriptions/s/snapshots/snap-1", VolumeMode = "Filesystem", ReadyToUse = true, Path = "volumes/shop/data.json",
    };

    [Fact]
    public void Content_RetainsTheStorageSnapshot_NamesTheHandleAndTheNewVolumeSnapshot()
    {
        var content = PreProvisionedSnapshot.Content("c1", Record, "shop-dr", "s1", "csi-azuredisk-vsc", "r1", "b1");

        Assert.Equal(
            """
            {"deletionPolicy":"Retain","driver":"disk.csi.azure.com","source":{"snapshotHandle":"/subscriptions/s/snapshots/snap-1"},"volumeSnapshotRef":{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","name":"s1","namespace":"shop-dr"},"sourceVolumeMode":"Filesystem","volumeSnapshotClassName":"csi-azuredisk-vsc"}
            """,
            content["spec"]!.ToJsonString());
        Assert.Equal("""{"strata.dev/restore-id":"r1","app.kubernetes.io/managed-by":"strata"}""", content["metadata"]!["labels"]!.ToJsonString());
        Assert.Null(content["metadata"]!["namespace"]);
        Assert.Null(content["metadata"]!["labels"]!["strata.dev/backup-id"]); // retention deletes what carries a backup's id
    }

    [Fact]
    public void Snapshot_BoundToTheContent_WithoutAClassWhenTheTargetHasNone()
    {
        var snapshot = PreProvisionedSnapshot.Snapshot("s1", "shop-dr", "c1", null, Record, "r1", "b1");

        Assert.Equal("""{"source":{"volumeSnapshotContentName":"c1"}}""", snapshot["spec"]!.ToJsonString());
        Assert.Equal("shop-dr", snapshot["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("backup b1: VolumeSnapshot shop/strata-b1-data of claim shop/data",
            snapshot["metadata"]!["annotations"]![SnapshotRestoreNames.RestoredFromAnnotation]!.GetValue<string>());
    }
}

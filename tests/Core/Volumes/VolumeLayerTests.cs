using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Results;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>The volume layer against the sandbox's published snapshot CRDs and simulated snapshot controller, over real HTTPS.</summary>
public sealed class VolumeLayerTests
{
    private const string SnapshotName = "data-strata-20261121-023000-a1b2c3";

    [Fact]
    public async Task CaptureAsync_BoundCsiClaim_IsSnapshottedWithTheDriversDefaultClass_AndRecordedWithItsContent()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Empty(capture.UnprotectedVolumes);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal(("shop", "data", SnapshotName, "csi-azuredisk-vsc", VolumeSandbox.Driver, "managed-csi"),
            (record.Namespace, record.Claim, record.SnapshotName, record.VolumeSnapshotClass, record.Driver, record.StorageClass));
        Assert.Equal((true, false, "5Gi", 5L * 1024 * 1024 * 1024, "Filesystem"),
            (record.ReadyToUse, record.Reused, record.RestoreSize, record.RestoreSizeBytes, record.VolumeMode));
        Assert.Equal(("Retain", "Delete"), (record.DeletionPolicy, record.OriginalDeletionPolicy));
        Assert.Equal("5Gi", record.RequestedSize);
        Assert.Equal(["ReadWriteOnce"], record.AccessModes);
        Assert.NotNull(record.SnapshotHandle);
        Assert.NotNull(record.CreationTime);
        Assert.NotNull(record.SnapshotUid);
        Assert.StartsWith("snapcontent-", record.ContentName, StringComparison.Ordinal);
        Assert.Equal((VolumeConsistency.Crash, null), (record.Consistency, record.Error));
        Assert.True(record.Duration > TimeSpan.Zero);

        var artifact = Assert.Single(capture.Artifacts);
        Assert.Equal(("volumes/shop/data.json", "volumes/shop/data.json"), (artifact.Path, record.Path));
        var stored = world.Artifact(context, artifact.Path);
        Assert.Equal(record.SnapshotHandle, stored["record"]!["snapshotHandle"]!.GetValue<string>());
        Assert.Equal("PersistentVolumeClaim", stored["persistentVolumeClaim"]!["kind"]!.GetValue<string>());
        Assert.True(stored["volumeSnapshot"]!["status"]!["readyToUse"]!.GetValue<bool>());
        Assert.Equal(record.SnapshotHandle, stored["volumeSnapshotContent"]!["status"]!["snapshotHandle"]!.GetValue<string>());
        Assert.Equal("Retain", stored["volumeSnapshotContent"]!["spec"]!["deletionPolicy"]!.GetValue<string>());

        var snapshot = Assert.Single(await world.SnapshotsAsync());
        Assert.Equal((SnapshotName, VolumeSandbox.BackupId, "nightly", "strata", "data"),
            (snapshot.Name, snapshot.Label("strata.dev/backup-id"), snapshot.Label("strata.dev/policy"), snapshot.Label("app.kubernetes.io/managed-by"), snapshot.Annotation("strata.dev/pvc")));
        Assert.Equal(("csi-azuredisk-vsc", "data"), (snapshot.GetString("spec.volumeSnapshotClassName"), snapshot.GetString("spec.source.persistentVolumeClaimName")));
    }

    [Theory]
    [InlineData("storageClass", "managed-csi", "azure-incremental")]
    [InlineData("driver", VolumeSandbox.Driver, "azure-incremental")]
    public async Task CaptureAsync_ClassFromThePolicy_ByStorageClassOrDriver_IsUsed(string by, string value, string expected)
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Create(StorageObjects.VolumeSnapshotClass("azure-incremental", VolumeSandbox.Driver));
        world.Claim("data");
        var rule = by == "storageClass"
            ? new SnapshotClassRule { StorageClass = value, VolumeSnapshotClassName = "azure-incremental" }
            : new SnapshotClassRule { Driver = value, VolumeSnapshotClassName = "azure-incremental" };
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot(rule)).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(expected, Assert.Single(capture.Volumes).VolumeSnapshotClass);
        Assert.Equal(expected, Assert.Single(await world.SnapshotsAsync()).GetString("spec.volumeSnapshotClassName"));
    }

    [Fact]
    public async Task CaptureAsync_StorageClassRule_WinsOverAnEarlierDriverRule()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Create(StorageObjects.VolumeSnapshotClass("by-driver", VolumeSandbox.Driver));
        world.Server.Create(StorageObjects.VolumeSnapshotClass("by-class", VolumeSandbox.Driver));
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot(
            new SnapshotClassRule { Driver = VolumeSandbox.Driver, VolumeSnapshotClassName = "by-driver" },
            new SnapshotClassRule { StorageClass = "managed-csi", VolumeSnapshotClassName = "by-class" })).CaptureAsync(context);

        Assert.Equal("by-class", Assert.Single(capture.Volumes).VolumeSnapshotClass);
    }

    [Fact]
    public async Task CaptureAsync_DriverWithoutAnyClass_IsUnprotectedWithTheReason_AndAWarning_TheOthersAreSnapshotted()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Create(StorageObjects.StorageClass("gp3", "ebs.csi.aws.com"));
        world.Claim("data");
        world.Claim("logs", "gp3");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        Assert.Equal("data", Assert.Single(capture.Volumes).Claim);
        var unprotected = Assert.Single(capture.UnprotectedVolumes);
        Assert.Equal(("shop", "logs", "gp3", "ebs.csi.aws.com"), (unprotected.Namespace, unprotected.Claim, unprotected.StorageClass, unprotected.Driver));
        Assert.Equal("no VolumeSnapshotClass for driver ebs.csi.aws.com: none in volumes.classes matches StorageClass gp3, and none is marked default", unprotected.Reason);
        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, "volumes", "shop", "logs", ProblemReasons.Unprotected), (warning.Severity, warning.Resource, warning.Namespace, warning.Name, warning.Reason));
        Assert.Contains(unprotected.Reason, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_ClassInThePolicyTheClusterLacks_IsAnErrorNamingTheFieldAndTheClass()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Claim("logs");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot(
            new SnapshotClassRule { StorageClass = "managed-csi", VolumeSnapshotClassName = "azure-premium-vsc", Field = "policies[0].volumes.classes[0]" })).CaptureAsync(context);

        Assert.Empty(capture.Volumes);
        Assert.Empty(await world.SnapshotsAsync());
        Assert.Equal(["data", "logs"], capture.UnprotectedVolumes.Select(u => u.Claim));
        Assert.Equal(2, context.Result.Problems.Count);
        Assert.All(context.Result.Problems, p => Assert.Equal((ProblemSeverity.Error, ProblemReasons.NotFound), (p.Severity, p.Reason)));
        Assert.Equal("claim shop/data is not snapshotted: policies[0].volumes.classes[0].volumeSnapshotClassName names VolumeSnapshotClass azure-premium-vsc, which cluster prod does not have",
            context.Result.Problems[0].Message);
    }

    [Fact]
    public async Task CaptureAsync_ClassInThePolicyForAnotherDriver_IsAnErrorSayingBothDrivers()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Create(StorageObjects.VolumeSnapshotClass("ebs-vsc", "ebs.csi.aws.com"));
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot(
            new SnapshotClassRule { StorageClass = "managed-csi", VolumeSnapshotClassName = "ebs-vsc", Field = "volumes.classes[1]" })).CaptureAsync(context);

        Assert.Empty(capture.Volumes);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.DriverMismatch, "data"), (problem.Severity, problem.Reason, problem.Name));
        Assert.Contains("VolumeSnapshotClass ebs-vsc (volumes.classes[1].volumeSnapshotClassName) is for driver ebs.csi.aws.com, but the claim's volume is on driver disk.csi.azure.com", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_UnboundAndNonCsiClaims_AreUnprotectedWithTheirReasons()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("pending", "no-such-class");
        world.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject { ["name"] = "nfs-share" },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = "5Gi" },
                ["accessModes"] = new JsonArray("ReadWriteMany"),
                ["storageClassName"] = "manual",
                ["nfs"] = new JsonObject { ["server"] = "nfs.example.com", ["path"] = "/exports/shop" },
            },
        });
        var shared = StorageObjects.Claim("shop", "shared", "manual");
        shared["spec"]!["volumeName"] = "nfs-share";
        world.Server.Create(shared);
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        Assert.Empty(capture.Volumes);
        Assert.Equal(
            [("pending", "not bound (Pending): there is no volume to snapshot"), ("shared", "not a CSI volume (in-tree plugin nfs): CSI snapshots need a CSI driver")],
            capture.UnprotectedVolumes.Select(u => (u.Claim, u.Reason)));
        Assert.All(context.Result.Problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Equal(2, context.Result.Problems.Count);
    }

    [Fact]
    public async Task CaptureAsync_SelectorAndScope_PickTheClaims_TheScopesObjectSelectorDoesNot()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.CreateNamespace("other");
        world.Claim("data", labels: new Dictionary<string, string> { ["tier"] = "data" });
        world.Claim("cache", labels: new Dictionary<string, string> { ["tier"] = "cache" });
        world.Claim("elsewhere", labels: new Dictionary<string, string> { ["tier"] = "data" }, ns: "other");
        var context = world.Context();
        var scope = new BackupScope { IncludeNamespaces = ["shop"], Selector = LabelSelector.Parse("app=web") };

        var capture = await world.Layer(VolumeSandbox.Snapshot() with { Selector = LabelSelector.Parse("tier in (data)") }, scope).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal("shop/data", Assert.Single(capture.Volumes).Qualified);
    }

    [Fact]
    public async Task CaptureAsync_SnapshotKeepsFailing_IsAnErrorAtTheTimeout_QuotingTheControllersLastError_AndNothingIsCommittedForIt()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50), Fails = s => s.Name.StartsWith("logs", StringComparison.Ordinal) });
        world.Claim("data");
        world.Claim("logs");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot() with { Timeout = VolumeSandbox.ShortTimeout }).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "volumes", "shop", "logs", ProblemReasons.SnapshotFailed), (problem.Severity, problem.Resource, problem.Namespace, problem.Name, problem.Reason));
        Assert.StartsWith("VolumeSnapshot shop/logs-strata-20261121-023000-a1b2c3 of claim shop/logs was not readyToUse after 2s (Strata stopped waiting; the snapshot controller may still finish it); "
            + "last error: Failed to create snapshot: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("SnapshotCreationPerVolumeRateExceeded", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["volumes/shop/data.json"], capture.Artifacts.Select(a => a.Path));
        var failed = capture.Volumes.Single(v => v.Claim == "logs");
        Assert.Equal((false, null), (failed.ReadyToUse, failed.Path));
        Assert.Equal(problem.Message, failed.Error);
        Assert.True(capture.Volumes.Single(v => v.Claim == "data").ReadyToUse);
    }

    [Fact]
    public async Task CaptureAsync_SnapshotFailsThenTheControllerRetriesAndSucceeds_IsRecordedReady_WithoutAProblem()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(100), TransientFailures = _ => 2 });
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, null, "volumes/shop/data.json"), (record.ReadyToUse, record.Error, record.Path));
        Assert.NotNull(record.SnapshotHandle);
        Assert.True(record.Duration >= TimeSpan.FromMilliseconds(300), $"recorded after {record.Duration}: before the third attempt succeeded");
    }

    [Fact]
    public async Task CaptureAsync_SnapshotNeverReady_StopsWaitingAtTheTimeoutOnTheContextsClock()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { NeverReady = _ => true });
        world.Claim("data");
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero)) { StepOnTimers = true };
        var context = world.Context(clock);

        var capture = await world.Layer(VolumeSandbox.Snapshot() with { Timeout = TimeSpan.FromMinutes(10), PollInterval = TimeSpan.FromMinutes(1) }).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.Timeout, "data"), (problem.Severity, problem.Reason, problem.Name));
        Assert.Equal($"VolumeSnapshot shop/{SnapshotName} of claim shop/data was not readyToUse after 10m (Strata stopped waiting; the snapshot controller may still finish it)", problem.Message);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 2, 40, 0, TimeSpan.Zero), clock.GetUtcNow());
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((false, null, TimeSpan.FromMinutes(10)), (record.ReadyToUse, record.Path, record.Duration));
        Assert.Empty(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_Replayed_ReusesTheSnapshotItsFirstAttemptCreated()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(world.Context());
        var replay = world.Context(store: new TestKit.Fakes.MemoryArtifactStore()); // the first attempt died before its artifacts

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(replay);

        Assert.Empty(replay.Result.Problems);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, true), (record.Reused, record.ReadyToUse));
        Assert.Single(await world.SnapshotsAsync());
    }

    [Fact]
    public async Task CaptureAsync_DeletePolicyContent_IsSetToRetain_SoDeletingTheNamespaceKeepsTheStorageSnapshot()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        var context = world.Context();

        var record = Assert.Single((await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context)).Volumes);
        await world.Client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", SnapshotName);
        await Task.Delay(200); // the simulated controller acts after the delete returns

        Assert.Empty(context.Result.Problems);
        Assert.True(record.RetainedByStrata);
        var content = await world.Client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!);
        Assert.Equal(("Retain", "Delete"), (content!.GetString("spec.deletionPolicy"), content.Annotation(VolumeSnapshotApi.OriginalDeletionPolicyAnnotation)));
        Assert.NotNull(world.Server.SnapshotBackend!.Find(VolumeSandbox.Driver, record.SnapshotHandle!));
    }

    [Fact]
    public async Task CaptureAsync_PatchRefused_IsAnErrorOfTheClaimNamingTheContentTheRefusalAndTheRisk_AndTheSnapshotIsRecordedWithDelete()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Access.Deny("patch", "snapshot.storage.k8s.io", "volumesnapshotcontents");
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, "volumes/shop/data.json", "Delete", null), (record.ReadyToUse, record.Path, record.DeletionPolicy, record.OriginalDeletionPolicy));
        Assert.NotNull(record.SnapshotHandle);
        var error = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "volumes", "shop", "data", "Forbidden"), (error.Severity, error.Resource, error.Namespace, error.Name, error.Reason));
        Assert.StartsWith($"VolumeSnapshotContent {record.ContentName} of VolumeSnapshot shop/{SnapshotName} of claim shop/data keeps deletionPolicy: Delete, since setting it to Retain failed (",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("is forbidden", error.Message, StringComparison.Ordinal); // the server's own words
        Assert.EndsWith("; grant Strata patch on volumesnapshotcontents): deleting the VolumeSnapshot, or namespace shop, deletes the storage snapshot and this backup's copy of claim shop/data with it",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, record.Error);
        Assert.Single(capture.Artifacts); // recorded all the same: the snapshot is ready, and a restore in this cluster can use it
    }

    [Fact]
    public async Task CaptureAsync_ContentReadRefused_IsAnErrorOfTheClaim_AndTheRecordHasNoHandle()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Access.Deny("get", "snapshot.storage.k8s.io", "volumesnapshotcontents");
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, null, null), (record.ReadyToUse, record.SnapshotHandle, record.DeletionPolicy));
        var error = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "volumes", "shop", "data", "Forbidden"), (error.Severity, error.Resource, error.Namespace, error.Name, error.Reason));
        Assert.StartsWith($"reading VolumeSnapshotContent {record.ContentName} of VolumeSnapshot shop/{SnapshotName} of claim shop/data failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("is forbidden", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the snapshot handle is not recorded, and the content was not set to Retain (deleting the namespace may delete the storage snapshot)", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, record.Error);
    }

    [Fact]
    public async Task CaptureAsync_ReplayedAfterTheFirstAttemptRetainedTheContent_StillRecordsThatStrataDidIt()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(world.Context());
        var replay = world.Context(store: new TestKit.Fakes.MemoryArtifactStore());

        var record = Assert.Single((await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(replay)).Volumes);

        Assert.Empty(replay.Result.Problems);
        Assert.Equal((true, "Retain", "Delete"), (record.Reused, record.DeletionPolicy, record.OriginalDeletionPolicy));
    }

    [Fact]
    public async Task CaptureAsync_SomeoneElsesSnapshotUnderTheName_IsAnError_AndLeftAlone()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Server.Create(StorageObjects.VolumeSnapshot("shop", SnapshotName, "data", "csi-azuredisk-vsc"));
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "AlreadyExists"), (problem.Severity, problem.Reason));
        Assert.Equal($"a VolumeSnapshot shop/{SnapshotName} exists that this Strata backup did not create; it was left alone, and claim shop/data was not snapshotted", problem.Message);
        Assert.Null(Assert.Single(await world.SnapshotsAsync()).Label("strata.dev/backup-id"));
        Assert.Empty(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_SnapshotApiNotServed_OneError_AndEveryClaimUnprotected()
    {
        await using var world = await VolumeSandbox.StartAsync(installed: false);
        world.Claim("data");
        world.Claim("logs");
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        var error = Assert.Single(context.Result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(("the cluster serves no snapshot.storage.k8s.io/v1 VolumeSnapshots (the external-snapshotter's CRDs and controller are not installed)", ProblemReasons.NotInstalled),
            (error.Message, error.Reason));
        Assert.Equal(["data", "logs"], capture.UnprotectedVolumes.Select(u => u.Claim));
        Assert.Equal(2, context.Result.Problems.Count(p => p.Severity == ProblemSeverity.Warning));
        Assert.Empty(capture.Volumes);
    }

    [Fact]
    public async Task CaptureAsync_VolumesSkipped_AndNoDatabaseAsksForConsistency_DoesNothing()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip).CaptureAsync(context);

        Assert.Empty(capture.Volumes);
        Assert.Empty(capture.UnprotectedVolumes);
        Assert.Empty(await world.SnapshotsAsync());
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.TestKit.Volumes;
using static Strata.Sandbox.Tests.Controllers.SnapshotSandbox;

namespace Strata.Sandbox.Tests.Controllers;

/// <summary>Dynamic snapshots through the simulated snapshot controller and csi-snapshotter, against the published CRDs, on a clock the test moves.</summary>
public class SnapshotControllerTests
{
    [Fact]
    public async Task Snapshot_OfABoundClaim_IsBoundAtOnceAndReadyAfterTheDelay_WithTheControllersStatusShapes()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMinutes(2) });
        var (_, claim) = await s.GetAsync($"{Claims}/data");
        var (_, volume) = await s.GetAsync($"/api/v1/persistentvolumes/{claim.Str("spec.volumeName")}");
        var requestedAt = s.Clock.GetUtcNow();

        var (code, created) = await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, pending) = await s.SnapshotAsync("nightly");
        var (_, content) = await s.GetAsync($"{Contents}/snapcontent-{created.Str("metadata.uid")}");
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        var ready = await s.SnapshotUntilAsync("nightly", vs => vs.Str("status.readyToUse") == "true");
        var readyContent = await s.ContentOfAsync(ready);

        Assert.Equal(201, code);
        Assert.Equal("csi-azuredisk-vsc", pending.Str("spec.volumeSnapshotClassName")); // the default class of the claim's driver
        Assert.Equal($"snapcontent-{created.Str("metadata.uid")}", pending.Str("status.boundVolumeSnapshotContentName"));
        Assert.Equal(("false", null, null), (pending.Str("status.readyToUse"), pending.Str("status.creationTime"), pending.Str("status.restoreSize")));
        Assert.Equal(("Delete", Driver, volume.Str("spec.csi.volumeHandle"), "Filesystem", "csi-azuredisk-vsc"),
            (content.Str("spec.deletionPolicy"), content.Str("spec.driver"), content.Str("spec.source.volumeHandle"),
             content.Str("spec.sourceVolumeMode"), content.Str("spec.volumeSnapshotClassName")));
        Assert.Equal(("VolumeSnapshot", "snapshot.storage.k8s.io/v1", "shop", "nightly", created.Str("metadata.uid")),
            (content.Str("spec.volumeSnapshotRef.kind"), content.Str("spec.volumeSnapshotRef.apiVersion"), content.Str("spec.volumeSnapshotRef.namespace"),
             content.Str("spec.volumeSnapshotRef.name"), content.Str("spec.volumeSnapshotRef.uid")));
        Assert.NotNull(content.Str("spec.volumeSnapshotRef.resourceVersion"));
        Assert.Null(content["status"]);

        var contentStatus = readyContent["status"]!;
        Assert.Equal(JsonValueKind.Number, contentStatus["creationTime"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, contentStatus["restoreSize"]!.GetValueKind());
        var creationNs = contentStatus["creationTime"]!.GetValue<long>();
        Assert.Equal(requestedAt.ToUnixTimeSeconds(), creationNs / 1_000_000_000);
        Assert.Equal((5L * 1024 * 1024 * 1024, true), (contentStatus["restoreSize"]!.GetValue<long>(), contentStatus["readyToUse"]!.GetValue<bool>()));
        var handle = contentStatus["snapshotHandle"]!.GetValue<string>();

        Assert.Equal(JsonValueKind.String, ready["status"]!["creationTime"]!.GetValueKind());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(creationNs / 1_000_000_000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ready.Str("status.creationTime"));
        Assert.Equal(("5Gi", readyContent.Str("metadata.name"), null), (ready.Str("status.restoreSize"), ready.Str("status.boundVolumeSnapshotContentName"), ready.Str("status.error.message")));
        Assert.Equal((5L * 1024 * 1024 * 1024, volume.Str("spec.csi.volumeHandle")), (s.Server.SnapshotBackend!.Find(Driver, handle)!.SizeBytes, s.Server.SnapshotBackend.Find(Driver, handle)!.SourceVolumeHandle));
        Assert.Contains(ready["metadata"]!["managedFields"]!.AsArray(), e => e.Str("manager") == "snapshot-controller" && e.Str("subresource") == "status");
        Assert.Contains(readyContent["metadata"]!["managedFields"]!.AsArray(), e => e.Str("manager") == "csi-snapshotter" && e.Str("subresource") == "status");
    }

    [Fact]
    public async Task Snapshot_NamingAMissingClass_HasTheControllersError_AndIsTakenOnceTheClassExists()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data", className: "premium"));
        var (_, failed) = await s.SnapshotAsync("nightly");
        await s.PostAsync(SnapshotClasses, StorageObjects.VolumeSnapshotClass("premium", Driver, deletionPolicy: "Retain"));
        var ready = await s.SnapshotUntilAsync("nightly", vs => vs.Str("status.readyToUse") == "true");

        Assert.Equal("Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"premium\" not found", failed.Str("status.error.message"));
        Assert.NotNull(failed.Str("status.error.time"));
        Assert.Null(failed.Str("status.readyToUse")); // the class errors leave readiness alone
        Assert.Null(ready.Str("status.error.message"));
        Assert.Equal("Retain", (await s.ContentOfAsync(ready)).Str("spec.deletionPolicy"));
    }

    [Fact]
    public async Task Snapshot_WithoutAClass_WhenTheDriverHasTwoDefaultClasses_FailsToSetTheDefaultClass()
    {
        await using var s = await StartAsync(new SimulatedSnapshots(), defaultClass: false);
        s.Server.Create(StorageObjects.VolumeSnapshotClass("ebs-default", "ebs.csi.aws.com", isDefault: true));
        s.Server.Create(StorageObjects.VolumeSnapshotClass("one", Driver, isDefault: true));
        s.Server.Create(StorageObjects.VolumeSnapshotClass("two", Driver, isDefault: true));

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, failed) = await s.SnapshotAsync("nightly");

        Assert.Equal("Failed to set default snapshot class with error 2 default snapshot classes were found", failed.Str("status.error.message"));
        Assert.Null(failed.Str("spec.volumeSnapshotClassName"));
        Assert.Null(failed.Str("status.readyToUse"));
    }

    [Fact]
    public async Task Snapshot_WithoutAClass_AndNoDefaultClass_SaysItCannotFindOne()
    {
        await using var s = await StartAsync(new SimulatedSnapshots(), defaultClass: false);

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, failed) = await s.SnapshotAsync("nightly");
        await s.PostAsync(SnapshotClasses, StorageObjects.VolumeSnapshotClass("marked", Driver, isDefault: true));
        var ready = await s.SnapshotUntilAsync("nightly", vs => vs.Str("status.readyToUse") == "true");

        Assert.Equal("Failed to set default snapshot class with error cannot find default snapshot class", failed.Str("status.error.message"));
        Assert.Equal("marked", ready.Str("spec.volumeSnapshotClassName")); // retried once a default class appeared
    }

    [Fact]
    public async Task Snapshot_OfAClaimNotYetBound_WaitsWithTheControllersError_AndIsTakenWhenTheClaimBinds()
    {
        await using var s = await StartAsync(new SimulatedSnapshots(), controllers: new SimulatedControllers { VolumeBindDelay = TimeSpan.FromMinutes(1) });
        await s.PostAsync(Claims, StorageObjects.Claim("shop", "later", "managed-csi"));

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "with-class", "later", "csi-azuredisk-vsc"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "by-default", "later"));
        var (_, withClass) = await s.SnapshotAsync("with-class");
        var (_, byDefault) = await s.SnapshotAsync("by-default");
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var ready = await s.SnapshotUntilAsync("with-class", vs => vs.Str("status.readyToUse") == "true");
        var readyByDefault = await s.SnapshotUntilAsync("by-default", vs => vs.Str("status.readyToUse") == "true");

        Assert.Equal("Failed to create snapshot content with error failed to get input parameters to create snapshot with-class: \"the PVC later is not yet bound to a PV, will not attempt to take a snapshot\"",
            withClass.Str("status.error.message"));
        Assert.Equal("false", withClass.Str("status.readyToUse"));
        Assert.Equal("Failed to set default snapshot class with error the PVC later is not yet bound to a PV, will not attempt to take a snapshot", byDefault.Str("status.error.message"));
        Assert.Equal((null, null), (ready.Str("status.error.message"), readyByDefault.Str("status.error.message")));
    }

    [Fact]
    public async Task Snapshot_OfAMissingClaim_HasTheControllersErrorForEachPath()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "with-class", "ghost", "csi-azuredisk-vsc"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "by-default", "ghost"));
        var (_, withClass) = await s.SnapshotAsync("with-class");
        var (_, byDefault) = await s.SnapshotAsync("by-default");

        Assert.Equal("Failed to create snapshot content with error snapshot controller failed to update with-class on API server: cannot get claim from snapshot", withClass.Str("status.error.message"));
        Assert.Equal("Failed to set default snapshot class with error failed to retrieve PVC ghost from the lister: \"persistentvolumeclaim \\\"ghost\\\" not found\"", byDefault.Str("status.error.message"));
    }

    [Fact]
    public async Task Snapshot_OfANonCsiVolume_IsNotSupported()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        var legacy = SampleApplication.Obj("v1", "PersistentVolume", null, "pv-legacy", extra: o => o["spec"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = "1Gi" },
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["hostPath"] = new JsonObject { ["path"] = "/srv/legacy" },
            ["claimRef"] = new JsonObject { ["namespace"] = "shop", ["name"] = "legacy" },
        });
        s.Server.Create(legacy);
        var claim = StorageObjects.Claim("shop", "legacy", storageClassName: null);
        claim["spec"]!["volumeName"] = "pv-legacy";
        claim["spec"]!["storageClassName"] = string.Empty;
        s.Server.Create(claim);

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "with-class", "legacy", "csi-azuredisk-vsc"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "by-default", "legacy"));
        var (_, withClass) = await s.SnapshotAsync("with-class");
        var (_, byDefault) = await s.SnapshotAsync("by-default");

        Assert.Equal("Failed to create snapshot content with error cannot find CSI PersistentVolumeSource for volume pv-legacy", withClass.Str("status.error.message"));
        Assert.Equal("Failed to set default snapshot class with error snapshotting non-CSI volumes is not supported, snapshot:shop/by-default", byDefault.Str("status.error.message"));
    }

    [Fact]
    public async Task Snapshot_TheDriverFailsToTake_EndsWithTheSidecarsErrorOnTheContentAndTheSnapshot()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { Fails = vs => vs.Name == "broken", SnapshotDelay = TimeSpan.FromSeconds(30) });
        var (_, claim) = await s.GetAsync($"{Claims}/data");
        var (_, volume) = await s.GetAsync($"/api/v1/persistentvolumes/{claim.Str("spec.volumeName")}");

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "broken", "data"));
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var failed = await s.SnapshotUntilAsync("broken", vs => vs.Str("status.error.message") is not null);
        var content = await s.ContentOfAsync(failed);

        var expected = $"Failed to create snapshot: failed to take snapshot of the volume {volume.Str("spec.csi.volumeHandle")}: \"rpc error: code = Internal desc = CreateSnapshot failed: SnapshotCreationPerVolumeRateExceeded";
        Assert.StartsWith(expected, failed.Str("status.error.message"), StringComparison.Ordinal);
        Assert.Equal(failed.Str("status.error.message"), content.Str("status.error.message"));
        Assert.Equal(("false", "false", null), (failed.Str("status.readyToUse"), content.Str("status.readyToUse"), content.Str("status.snapshotHandle")));
        Assert.NotNull(content.Str("status.error.time"));
        Assert.Empty(s.Server.SnapshotBackend!.List(Driver));
    }

    [Fact]
    public async Task Snapshot_TheDriverFailsOnce_HasTheErrorWhileTheSidecarRetries_ThenIsCutAndReady_WithTheErrorCleared()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { TransientFailures = vs => vs.Name == "flaky" ? 1 : 0, SnapshotDelay = TimeSpan.FromSeconds(30) });

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "flaky", "data"));
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var failing = await s.SnapshotUntilAsync("flaky", vs => vs.Str("status.error.message") is not null);
        var retriedAt = s.Clock.GetUtcNow();
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var ready = await s.SnapshotUntilAsync("flaky", vs => vs.Str("status.readyToUse") == "true");
        var content = await s.ContentOfAsync(ready);

        Assert.Contains("SnapshotCreationPerVolumeRateExceeded", failing.Str("status.error.message"), StringComparison.Ordinal);
        Assert.Equal(("false", null), (failing.Str("status.readyToUse"), failing.Str("status.creationTime")));
        Assert.Equal((null, null), (ready.Str("status.error.message"), content.Str("status.error.message")));
        Assert.Equal(retriedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ready.Str("status.creationTime")); // cut by the attempt that succeeded
        Assert.NotNull(s.Server.SnapshotBackend!.Find(Driver, content.Str("status.snapshotHandle")!));
    }

    [Fact]
    public async Task Snapshot_WithAReadyDelay_IsCutFirst_AndReadyThatMuchLater()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromSeconds(10), ReadyDelay = TimeSpan.FromMinutes(5) });

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "uploading", "data"));
        s.Clock.Advance(TimeSpan.FromSeconds(10));
        var cut = await s.SnapshotUntilAsync("uploading", vs => vs.Str("status.creationTime") is not null);
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var ready = await s.SnapshotUntilAsync("uploading", vs => vs.Str("status.readyToUse") == "true");

        Assert.Equal("false", cut.Str("status.readyToUse"));
        Assert.Equal(cut.Str("status.creationTime"), ready.Str("status.creationTime"));
        Assert.True(s.Server.SnapshotBackend!.List(Driver).Single().ReadyToUse);
    }

    [Fact]
    public async Task Snapshot_OfAClassForAnotherDriver_FailsInThatDriver_WhichDoesNotHaveTheVolume()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        s.Server.Create(StorageObjects.VolumeSnapshotClass("ebs", "ebs.csi.aws.com"));
        var (_, claim) = await s.GetAsync($"{Claims}/data");
        var (_, volume) = await s.GetAsync($"/api/v1/persistentvolumes/{claim.Str("spec.volumeName")}");

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "wrong", "data", "ebs"));
        var (_, failed) = await s.SnapshotAsync("wrong");

        var handle = volume.Str("spec.csi.volumeHandle");
        Assert.Equal($"Failed to create snapshot: failed to take snapshot of the volume {handle}: \"rpc error: code = NotFound desc = source volume {handle} not found\"",
            failed.Str("status.error.message"));
        Assert.Equal("ebs.csi.aws.com", (await s.ContentOfAsync(failed)).Str("spec.driver"));
    }

    [Fact]
    public async Task Snapshot_NeverReady_IsCutButStaysNotReady_WithoutAnError()
    {
        await using var s = await StartAsync(new SimulatedSnapshots { NeverReady = vs => vs.Name == "stuck", SnapshotDelay = TimeSpan.FromSeconds(10) });

        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "stuck", "data"));
        s.Clock.Advance(TimeSpan.FromHours(1));
        var cut = await s.SnapshotUntilAsync("stuck", vs => vs.Str("status.creationTime") is not null);
        var content = await s.ContentOfAsync(cut);

        Assert.Equal(("false", null, "5Gi"), (cut.Str("status.readyToUse"), cut.Str("status.error.message"), cut.Str("status.restoreSize")));
        Assert.Equal(("false", false), (content.Str("status.readyToUse"), s.Server.SnapshotBackend!.List(Driver).Single().ReadyToUse));
    }

    [Fact]
    public async Task Deleting_ASnapshot_DeletesItsContentAndStorageSnapshotWhenThePolicyIsDelete_RetainKeepsBoth()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        s.Server.Create(StorageObjects.VolumeSnapshotClass("keep", Driver, deletionPolicy: "Retain"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "gone", "data"));
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "kept", "data", "keep"));
        var (_, gone) = await s.SnapshotAsync("gone");
        var (_, kept) = await s.SnapshotAsync("kept");
        var goneHandle = (await s.ContentOfAsync(gone)).Str("status.snapshotHandle")!;
        var keptHandle = (await s.ContentOfAsync(kept)).Str("status.snapshotHandle")!;

        await s.DeleteAsync($"{Snapshots}/gone");
        await s.DeleteAsync($"{Snapshots}/kept");
        var (goneContent, _) = await s.GetAsync($"{Contents}/{gone.Str("status.boundVolumeSnapshotContentName")}");
        var (keptCode, keptContent) = await s.GetAsync($"{Contents}/{kept.Str("status.boundVolumeSnapshotContentName")}");

        Assert.Equal((404, 200), (goneContent, keptCode));
        Assert.Null(s.Server.SnapshotBackend!.Find(Driver, goneHandle));
        Assert.NotNull(s.Server.SnapshotBackend.Find(Driver, keptHandle));
        Assert.Equal(("true", kept.Str("metadata.uid")), (keptContent.Str("status.readyToUse"), keptContent.Str("spec.volumeSnapshotRef.uid")));
    }

    [Fact]
    public async Task Deleting_AContentDirectly_DeletesItsStorageSnapshot_AndLeavesItsSnapshotMissingIt()
    {
        await using var s = await StartAsync(new SimulatedSnapshots());
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, ready) = await s.SnapshotAsync("nightly");
        var content = await s.ContentOfAsync(ready);

        await s.DeleteAsync($"{Contents}/{content.Str("metadata.name")}");
        var (_, orphan) = await s.SnapshotAsync("nightly");
        await s.MergePatchAsync($"{Snapshots}/nightly", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["touched"] = "yes" } } });
        var (contentsCode, contents) = await s.GetAsync(Contents);

        Assert.Null(s.Server.SnapshotBackend!.Find(Driver, content.Str("status.snapshotHandle")!));
        Assert.Equal(("VolumeSnapshotContent is missing", "false"), (orphan.Str("status.error.message"), orphan.Str("status.readyToUse")));
        Assert.Equal((200, 0), (contentsCode, contents["items"]!.AsArray().Count)); // not taken a second time
    }
}

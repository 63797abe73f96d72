using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;
using Strata.Core.Verification;
using Strata.Core.Volumes;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Verification;

/// <summary>
/// The volumes layer in verification: the record artifact checked against the manifest (<see cref="VolumeRecordCheck"/>),
/// and the VolumeSnapshot checked against the live cluster (<see cref="VolumeSnapshotLiveCheck"/>) — through the verify
/// worker, which connects to the backup's cluster, and through <see cref="VerificationRun"/> without a connection, as
/// <c>strata backup verify</c> without <c>--config</c> runs it.
/// </summary>
public sealed class VolumeSnapshotChecksTests
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();
    private RecordingCluster _cluster = null!;

    [Fact]
    public async Task Verify_ReadySnapshot_Verified_WithTheRecordsFacts()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();

        var (verified, result) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.Verified, verified.Status);
        Assert.Empty(verified.Verification!.Findings);
        var artifact = Assert.Single(verified.Verification.Artifacts, a => a.Path == snapshot.Record.Path);
        Assert.Equal(["volume"], artifact.Checks);
        Assert.Equal(("shop/data", snapshot.Record.SnapshotName, "true", snapshot.Record.SnapshotHandle),
            (artifact.Facts["claim"], artifact.Facts["snapshot"], artifact.Facts["readyToUse"], artifact.Facts["snapshotHandle"]));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Verify_SnapshotDeleted_ItsContentWithIt_FailsNamingTheClaim_AndPages()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        // deletionPolicy Delete: the snapshot controller deletes the content (and the storage snapshot) with the VolumeSnapshot.
        Assert.True(_cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName));
        Assert.True(_cluster.Remove("volumesnapshotcontents.snapshot.storage.k8s.io", null, snapshot.Record.ContentName!));

        var (verified, result) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("snapshot", snapshot.Record.Path), (error.Check, error.Artifact));
        Assert.Equal($"VolumeSnapshot shop/{snapshot.Record.SnapshotName} of claim shop/data no longer exists, nor does its VolumeSnapshotContent {snapshot.Record.ContentName}: "
            + "the volume data of this backup is gone", error.Message);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal("verification-failed", alert.Kind);
        Assert.Contains(alert.FailedItems!, item => item.Contains("of claim shop/data no longer exists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_SnapshotDeleted_ContentRetainedAndReady_Fails_NamingTheContentItsHandle_AndHowToBindItAgain()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Retain");
        Assert.True(_cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName));

        var (verified, result) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("snapshot", snapshot.Record.Path), (error.Check, error.Artifact));
        Assert.Equal($"VolumeSnapshot shop/{snapshot.Record.SnapshotName} of claim shop/data no longer exists, and its VolumeSnapshotContent {snapshot.Record.ContentName} "
            + $"is retained, ready, and still holds storage snapshot {snapshot.Record.SnapshotHandle}: the volume data is not lost, but this backup is not counted good "
            + "until a VolumeSnapshot is bound to that content again. The snapshot controller binds a named content only when it is pre-provisioned: "
            + $"delete VolumeSnapshotContent {snapshot.Record.ContentName} (deletionPolicy Retain keeps storage snapshot {snapshot.Record.SnapshotHandle}), create it again "
            + $"under the same name with spec.source.snapshotHandle: {snapshot.Record.SnapshotHandle}, the same driver, deletionPolicy: Retain and spec.volumeSnapshotRef "
            + $"shop/{snapshot.Record.SnapshotName}, then a VolumeSnapshot shop/{snapshot.Record.SnapshotName} with spec.source.volumeSnapshotContentName: "
            + $"{snapshot.Record.ContentName}; then verify again", error.Message);
        var artifact = Assert.Single(verified.Verification.Artifacts, a => a.Path == snapshot.Record.Path);
        Assert.Equal($"VolumeSnapshot gone, content {snapshot.Record.ContentName} retained and ready", artifact.Facts[VolumeSnapshotLiveCheck.LiveFact]);
        Assert.Equal("verification-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Verify_SnapshotDeletedThenBroughtBackFromItsRetainedContent_Verified_WithANote()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Retain");
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        // As the error says: a pre-provisioned VolumeSnapshot of the recorded name, bound (by the controller) to the retained content.
        var back = new JsonObject
        {
            ["apiVersion"] = "snapshot.storage.k8s.io/v1",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = snapshot.Record.SnapshotName, ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = snapshot.Record.ContentName } },
            ["status"] = new JsonObject { ["boundVolumeSnapshotContentName"] = snapshot.Record.ContentName, ["readyToUse"] = true },
        };
        var created = await _cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", back);
        Assert.NotEqual(snapshot.Record.SnapshotUid, created.Uid);
        // The content's half of the binding, as the snapshot controller writes it.
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!, new JsonObject
        {
            ["spec"] = new JsonObject { ["volumeSnapshotRef"] = new JsonObject { ["namespace"] = "shop", ["name"] = snapshot.Record.SnapshotName, ["uid"] = created.Uid } },
        });

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.Verified, verified.Status);
        Assert.Empty(verified.Verification!.Findings);
        var artifact = Assert.Single(verified.Verification.Artifacts, a => a.Path == snapshot.Record.Path);
        Assert.Equal($"VolumeSnapshot re-created from the retained content {snapshot.Record.ContentName}", artifact.Facts[VolumeSnapshotLiveCheck.LiveFact]);
    }

    [Fact]
    public async Task Verify_SnapshotBroughtBack_ContentNamesAnotherObject_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Retain");
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        await _cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", new JsonObject
        {
            ["apiVersion"] = "snapshot.storage.k8s.io/v1",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = snapshot.Record.SnapshotName, ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = snapshot.Record.ContentName } },
            ["status"] = new JsonObject { ["boundVolumeSnapshotContentName"] = snapshot.Record.ContentName, ["readyToUse"] = true },
        });
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!, new JsonObject
        {
            ["spec"] = new JsonObject { ["volumeSnapshotRef"] = new JsonObject { ["namespace"] = "shop", ["name"] = "someone-elses", ["uid"] = "u-1" } },
        });

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Contains("whose volumeSnapshotRef names another object", error.Message, StringComparison.Ordinal);
        Assert.Equal("shop/someone-elses (uid u-1)", error.Found);
    }

    [Fact]
    public async Task Verify_SnapshotDeleted_ContentHoldsAnotherHandle_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Retain");
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!,
            new JsonObject { ["status"] = new JsonObject { ["snapshotHandle"] = "snap-restored-from-elsewhere" } });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("status.snapshotHandle", snapshot.Record.SnapshotHandle, "snap-restored-from-elsewhere"), (error.Entry, error.Expected, error.Found));
        Assert.EndsWith($"no longer exists, and its VolumeSnapshotContent {snapshot.Record.ContentName} holds another storage snapshot than the one recorded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SnapshotDeleted_ContentNotReady_FailsWithItsError()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Retain");
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!,
            new JsonObject { ["status"] = new JsonObject { ["readyToUse"] = false, ["error"] = new JsonObject { ["message"] = "snapshot not found in the storage system" } } });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("status.readyToUse", "true", "false"), (error.Entry, error.Expected, error.Found));
        Assert.EndsWith($"no longer exists, and its VolumeSnapshotContent {snapshot.Record.ContentName} is not readyToUse: snapshot not found in the storage system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SnapshotDeleted_ContentLeftWithDeletionPolicyDelete_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        // Retain when captured, set back to Delete since (by hand, or by a tool that reconciles contents).
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!,
            new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Delete" } });
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("spec.deletionPolicy", "Retain", "Delete"), (error.Entry, error.Expected, error.Found));
        Assert.EndsWith("the snapshot controller deletes it, and the storage snapshot with it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SnapshotNoLongerReady_FailsWithTheControllersError()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        await PatchStatusAsync(snapshot, new JsonObject { ["readyToUse"] = false, ["error"] = new JsonObject { ["message"] = "snapshot was deleted in the storage system" } });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("snapshot", "status.readyToUse", "true", "false"), (error.Check, error.Entry, error.Expected, error.Found));
        Assert.Equal($"VolumeSnapshot shop/{snapshot.Record.SnapshotName} of claim shop/data is not readyToUse: snapshot was deleted in the storage system", error.Message);
    }

    [Fact]
    public async Task Verify_SnapshotCreatedAgainUnderItsName_FailsOnTheUid()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        var again = await _cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot.VolumeSnapshot.DeepClone().AsObject());

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("snapshot", snapshot.Record.SnapshotUid, again.Uid), (error.Check, error.Expected, error.Found));
        Assert.EndsWith("is not the snapshot this backup took: it was deleted and created again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SnapshotBeingDeleted_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot.Record.SnapshotName,
            new JsonObject { ["metadata"] = new JsonObject { ["deletionTimestamp"] = "2026-11-21T09:00:00Z" } });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("snapshot", "metadata.deletionTimestamp", "2026-11-21T09:00:00Z"), (error.Check, error.Entry, error.Found));
        Assert.EndsWith("of claim shop/data is being deleted (since 2026-11-21T09:00:00Z): the volume data of this backup is going", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SnapshotBoundToAnotherContent_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        await PatchStatusAsync(snapshot, new JsonObject { ["boundVolumeSnapshotContentName"] = "snapcontent-other" });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("status.boundVolumeSnapshotContentName", snapshot.Record.ContentName, "snapcontent-other"), (error.Entry, error.Expected, error.Found));
    }

    [Fact]
    public async Task Verify_ContentHoldsAnotherHandle_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!,
            new JsonObject { ["status"] = new JsonObject { ["snapshotHandle"] = "snap-restored-from-elsewhere" } });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("status.snapshotHandle", snapshot.Record.SnapshotHandle, "snap-restored-from-elsewhere"), (error.Entry, error.Expected, error.Found));
    }

    [Fact]
    public async Task Verify_ClusterUnreachable_OneErrorTheSnapshotsCouldNotBeChecked()
    {
        var (record, _) = await BackUpWithSnapshotAsync(claims: ["data", "logs"]);
        _plane.Clusters.Clusters.Remove("prod");

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal("snapshot", error.Check);
        Assert.Equal("2 volume snapshots could not be checked against cluster prod: cannot reach https://prod.example:6443/: Connection refused; "
            + "the volume data of this backup cannot be proven", error.Message);
    }

    [Fact]
    public async Task Verify_SnapshotApiNotServed_OneError_NotOnePerSnapshot()
    {
        var (record, _) = await BackUpWithSnapshotAsync(claims: ["data", "logs"]);
        _plane.Clusters.Clusters["prod"] = new RecordingCluster(); // the same cluster, its snapshot CRDs removed (and every snapshot with them)

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.StartsWith("2 volume snapshots could not be checked against cluster prod: it does not serve volumesnapshots.snapshot.storage.k8s.io", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoClusterConnection_SucceededStaysSucceeded_WarnsOnly_AndTheWarningIsNotDrift()
    {
        var (record, _) = await BackUpWithSnapshotAsync();
        Assert.Equal(BackupStatus.Succeeded, record.Status);
        var connections = _plane.Clusters.Connections["prod"];

        var verified = await VerificationRun.RunAsync(_plane.Store, _plane.History, _plane.Clock, record);

        // The store checked out, but the snapshot was not looked at: not proven, so not Verified (nor failed).
        Assert.Equal(BackupStatus.Succeeded, verified.Status);
        Assert.Equal((true, false, 1), (verified.Verification!.Passed, verified.Verification.Proves, verified.Verification.UncheckedSnapshots));
        Assert.False(verified.IsVerified);
        var warning = Assert.Single(verified.Verification!.Findings);
        Assert.Equal((Results.ProblemSeverity.Warning, "snapshot"), (warning.Severity, warning.Check));
        Assert.Equal("1 volume snapshot was not checked against cluster prod: no cluster connection (pass --config with a strata.yaml that names it)", warning.Message);
        Assert.Empty(DriftCheck.Of(verified.Verification));
        Assert.Equal(connections, _plane.Clusters.Connections["prod"]);
        Assert.Equal(verified, await _plane.History.FindBackupAsync(record.Id)); // the report is saved with the run
    }

    [Fact]
    public async Task Run_NoClusterConnection_VerificationFailedBecauseTheSnapshotIsGone_StaysVerificationFailed()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        _cluster.Remove("volumesnapshots.snapshot.storage.k8s.io", "shop", snapshot.Record.SnapshotName);
        _cluster.Remove("volumesnapshotcontents.snapshot.storage.k8s.io", null, snapshot.Record.ContentName!);
        var (failed, _) = await VerifyAsync(record);
        Assert.Equal(BackupStatus.VerificationFailed, failed.Status);

        var again = await VerificationRun.RunAsync(_plane.Store, _plane.History, _plane.Clock, failed);

        Assert.Equal(BackupStatus.VerificationFailed, again.Status);
        Assert.Equal(1, again.Verification!.UncheckedSnapshots);
        Assert.Equal(BackupStatus.VerificationFailed, (await _plane.History.FindBackupAsync(record.Id))!.Status);
    }

    [Fact]
    public async Task Run_NoClusterConnection_VerifiedBefore_StaysVerified_UnlessTheStoreFails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync();
        var (verified, _) = await VerifyAsync(record);
        Assert.Equal(BackupStatus.Verified, verified.Status);

        var again = await VerificationRun.RunAsync(_plane.Store, _plane.History, _plane.Clock, verified);
        _plane.Store.Artifacts.Remove(verified.Location + snapshot.Record.Path);
        var damaged = await VerificationRun.RunAsync(_plane.Store, _plane.History, _plane.Clock, again);

        Assert.Equal(BackupStatus.Verified, again.Status);
        Assert.Equal(1, again.Verification!.UncheckedSnapshots);
        Assert.Equal(BackupStatus.VerificationFailed, damaged.Status); // lowering needs no cluster
    }

    [Fact]
    public async Task Run_NoVolumeRecords_NeverConnects()
    {
        await _plane.AddClusterAsync("prod");
        var request = _plane.Request("ci-1");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        var connections = 0;

        var verified = await VerificationRun.RunAsync(_plane.Store, _plane.History, _plane.Clock, record, cluster: _ =>
        {
            connections++;
            return Task.FromResult<IClusterWriter>(_cluster);
        });

        Assert.Equal((BackupStatus.Verified, 0), (verified.Status, connections));
        Assert.Empty(verified.Verification!.Findings);
    }

    [Fact]
    public async Task Verify_MalformedArtifact_FailsNamingItAndWhatIsWrong()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(artifact: _ => Encoding.UTF8.GetBytes("""{"record":{"namespace":"shop"},"volumeSnapshot":{}}"""));

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volume", snapshot.Record.Path), (error.Check, error.Artifact));
        Assert.StartsWith("not a volume snapshot record: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("claim", error.Message, StringComparison.Ordinal); // the required field it lacks
    }

    [Fact]
    public async Task Verify_ArtifactNotJson_FailsNamingIt()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(artifact: _ => Encoding.UTF8.GetBytes("{\"record\": "));

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volume", snapshot.Record.Path), (error.Check, error.Artifact));
        Assert.StartsWith("not a volume snapshot record: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArtifactRecordDisagreesWithTheManifest_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(artifact: taken => VolumeSnapshotFakes.Artifact(taken with { Record = taken.Record with { SnapshotHandle = "snap-other" } }));

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors, f => f.Entry == "record.snapshotHandle");
        Assert.Equal(("volume", snapshot.Record.SnapshotHandle, "snap-other"), (error.Check, error.Expected, error.Found));
        Assert.Equal("record.snapshotHandle is not what the manifest recorded", error.Message);
        Assert.Contains(verified.Verification.Errors, f => f is { Entry: "volumeSnapshotContent.status.snapshotHandle", Expected: "snap-other" }); // nor what its content held
    }

    [Fact]
    public async Task Verify_RecordWithoutASnapshotHandle_Fails_TheContentWasNotReadAtCapture()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Delete",
            artifact: taken => VolumeSnapshotFakes.Artifact(taken with { Record = taken.Record with { SnapshotHandle = null, DeletionPolicy = null } }));
        VolumeSnapshotFakes.ReplaceVolumes(_plane.Store, record, [snapshot.Record with { SnapshotHandle = null, DeletionPolicy = null }]);

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volume", snapshot.Record.Path, "record.snapshotHandle", "none"), (error.Check, error.Artifact, error.Entry, error.Found));
        Assert.StartsWith("the record holds no snapshot handle: the VolumeSnapshotContent was not read at capture", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RecordedContentLeftWithDelete_Fails_ItsDataGoesWithTheNamespace()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(deletionPolicy: "Delete");

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volume", snapshot.Record.Path, "record.deletionPolicy", "Retain", "Delete"), (error.Check, error.Artifact, error.Entry, error.Expected, error.Found));
        Assert.Equal("the VolumeSnapshotContent was left with deletionPolicy Delete: deleting the VolumeSnapshot, or its namespace, deletes the storage snapshot", error.Message);
    }

    [Fact]
    public async Task Verify_CapturedSnapshotWasNotReady_Fails()
    {
        var (record, snapshot) = await BackUpWithSnapshotAsync(artifact: taken =>
        {
            var captured = taken.VolumeSnapshot.DeepClone().AsObject();
            captured["status"]!["readyToUse"] = false;
            return VolumeSnapshotFakes.Artifact(taken with { VolumeSnapshot = captured });
        });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volume", snapshot.Record.Path, "volumeSnapshot.status.readyToUse"), (error.Check, error.Artifact, error.Entry));
        Assert.Equal("the VolumeSnapshot was not readyToUse when it was captured", error.Message);
    }

    [Fact]
    public async Task Verify_CapturedSnapshotIsAnotherOne_Fails()
    {
        var (record, _) = await BackUpWithSnapshotAsync(artifact: taken =>
        {
            var captured = taken.VolumeSnapshot.DeepClone().AsObject();
            captured["metadata"]!["name"] = "someone-elses";
            return VolumeSnapshotFakes.Artifact(taken with { VolumeSnapshot = captured });
        });

        var (verified, _) = await VerifyAsync(record);

        var error = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("volumeSnapshot.metadata.name", "someone-elses"), (error.Entry, error.Found));
        Assert.Equal("volumeSnapshot.metadata.name is not the snapshot the record names", error.Message);
    }

    /// <summary>A backup of the fakes' cluster "prod" (which serves the snapshot API) with a snapshot of each claim added to it.</summary>
    private async Task<(BackupRecord Record, TakenSnapshot First)> BackUpWithSnapshotAsync(
        string[]? claims = null, Func<TakenSnapshot, byte[]>? artifact = null, string deletionPolicy = "Retain")
    {
        _cluster = await _plane.AddClusterAsync("prod");
        await VolumeSnapshotFakes.ServeSnapshotApiAsync(_cluster);
        var request = _plane.Request("ci-1");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        var taken = new List<TakenSnapshot>();
        foreach (var claim in claims ?? ["data"])
        {
            taken.Add(await VolumeSnapshotFakes.TakeAsync(_cluster, record.Id, claim, deletionPolicy: deletionPolicy));
        }

        VolumeSnapshotFakes.AddToBackup(_plane.Store, record, taken, artifact);
        return (record, taken[0]);
    }

    private async Task<(BackupRecord, FunctionResult)> VerifyAsync(BackupRecord record)
    {
        var request = new Envelope("verify-" + record.Id, "ci", _plane.Clock.GetUtcNow(), new VerifyRequested(record.Id, record.Cluster, record.Policy));
        var result = await VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        Assert.Null(result.Rejection);
        return ((await _plane.History.FindBackupAsync(record.Id))!, result);
    }

    private Task PatchStatusAsync(TakenSnapshot snapshot, JsonObject status) =>
        _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot.Record.SnapshotName, new JsonObject { ["status"] = status });
}

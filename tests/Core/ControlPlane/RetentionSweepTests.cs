using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Kubernetes;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Volumes;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// The retention sweep on the fakes with volume snapshots: an expiring backup takes the VolumeSnapshots it created with
/// it — also one brought back from its retained content — and nothing else: not someone else's object under the recorded
/// name, not one created again (a look-alike naming the content but not bound to it included), not the snapshots
/// of backups that are kept or locked; a cluster that cannot be reached, or a delete that fails, keeps the whole backup.
/// </summary>
public sealed class RetentionSweepTests
{
    private const string KeepOne = """
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
            retention: { keepLast: 1, minVerifiedKept: 1 }
        """;

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(KeepOne);
    private RecordingCluster _cluster = null!;

    [Fact]
    public async Task Sweep_ExpiredBackup_DeletesItsVolumeSnapshots_TheKeptBackupsStay()
    {
        var (old, oldSnapshots) = await BackUpAsync("ci-1", ["data", "logs"]);
        var (kept, keptSnapshots) = await BackUpAsync("ci-2", ["data"]);

        var result = await SweepAsync();

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.DoesNotContain(_plane.Store.Artifacts.Keys, k => k.StartsWith(old.Location, StringComparison.Ordinal));
        Assert.All(oldSnapshots, s => Assert.False(_cluster.Objects.ContainsKey(s.Key)));
        Assert.Equal(oldSnapshots.Select(s => s.Key), _cluster.Deletes);
        Assert.Null((await _plane.History.FindBackupAsync(kept.Id))!.ExpiredAt);
        Assert.True(_cluster.Objects.ContainsKey(keptSnapshots[0].Key));
        Assert.Contains(result.Logs, l => l.Contains($"{old.Id}: VolumeSnapshot shop/{oldSnapshots[0].Record.SnapshotName} of claim shop/data deleted; "
            + $"its VolumeSnapshotContent {oldSnapshots[0].Record.ContentName} and the storage snapshot go with it (deletionPolicy: Delete)", StringComparison.Ordinal));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Sweep_RetainPolicy_DeletesTheVolumeSnapshotOnly_AndSaysTheStorageSnapshotStays()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"], deletionPolicy: "Retain");
        await BackUpAsync("ci-2", ["data"]);

        var result = await SweepAsync();

        Assert.False(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].ContentKey)); // Strata never deletes contents
        Assert.Contains(result.Logs, l => l.Contains($"{old.Id}: VolumeSnapshot shop/{snapshots[0].Record.SnapshotName} of claim shop/data deleted; "
            + $"its VolumeSnapshotContent {snapshots[0].Record.ContentName} and the storage snapshot stay (deletionPolicy: Retain)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_SomeoneElsesObjectUnderTheRecordedName_LeftAlone_BackupStillExpires()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        await ReplaceAsync(snapshots[0], labels: new JsonObject { ["app"] = "shop" });

        var result = await SweepAsync();

        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Empty(_cluster.Deletes);
        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Contains(result.Logs, l => l.Contains($"of claim shop/data left alone: it is not labelled {StrataLabels.BackupId}={old.Id} (found no such label)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_NotManagedByStrata_LeftAlone()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        await ReplaceAsync(snapshots[0], labels: new JsonObject { [StrataLabels.BackupId] = old.Id, [StrataLabels.ManagedBy] = "velero" });

        var result = await SweepAsync();

        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Contains(result.Logs, l => l.Contains($"left alone: it is not labelled {StrataLabels.ManagedBy}=strata (found velero)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_SnapshotCreatedAgainWithTheSameLabels_LeftAlone_ByItsUid()
    {
        var (_, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        var again = await ReplaceAsync(snapshots[0]);

        var result = await SweepAsync();

        Assert.Equal(again, _cluster.Objects[snapshots[0].Key]["metadata"]!["uid"]!.GetValue<string>());
        Assert.Contains(result.Logs, l => l.Contains($"left alone: it is not the object the backup created (uid {again}, recorded {snapshots[0].Record.SnapshotUid})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_SnapshotBroughtBackFromItsRetainedContent_DeletesIt_AfterSettingTheContentBackToDelete()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"], retainedByStrata: true);
        await BackUpAsync("ci-2", ["data"], retainedByStrata: true);
        var back = await BringBackAsync(snapshots[0], boundTo: snapshots[0].Record.ContentName!);

        var result = await SweepAsync();

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Equal([snapshots[0].Key], _cluster.Deletes);
        // Set back to Delete before its VolumeSnapshot went: the snapshot controller then deletes it and the storage snapshot.
        Assert.Equal("Delete", _cluster.Objects[snapshots[0].ContentKey]["spec"]!["deletionPolicy"]!.GetValue<string>());
        Assert.Equal(back, _cluster.Objects[snapshots[0].ContentKey]["spec"]!["volumeSnapshotRef"]!["uid"]!.GetValue<string>());
        Assert.Contains(result.Logs, l => l.Contains($"{old.Id}: VolumeSnapshot shop/{snapshots[0].Record.SnapshotName} of claim shop/data deleted; its VolumeSnapshotContent "
            + $"{snapshots[0].Record.ContentName}, set back to deletionPolicy: Delete (Strata had set Retain), and the storage snapshot go with it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_LookAlikeNamingTheRetainedContentButBoundToAnother_LeftAlone_AndTheContentToo()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"], retainedByStrata: true);
        await BackUpAsync("ci-2", ["data"], retainedByStrata: true);
        var lookAlike = await BringBackAsync(snapshots[0], boundTo: "snapcontent-someone-elses");

        var result = await SweepAsync();

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Empty(_cluster.Deletes);
        Assert.Equal(lookAlike, _cluster.Objects[snapshots[0].Key]["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("Retain", _cluster.Objects[snapshots[0].ContentKey]["spec"]!["deletionPolicy"]!.GetValue<string>());
        Assert.Contains(result.Logs, l => l.Contains($"of claim shop/data left alone: it is not the object the backup created (uid {lookAlike}, recorded {snapshots[0].Record.SnapshotUid}), "
            + $"and though it names VolumeSnapshotContent {snapshots[0].Record.ContentName} as its source it is not proven brought back from it: it is bound to snapcontent-someone-elses",
            StringComparison.Ordinal));
        Assert.Contains(result.Logs, l => l.Contains($"VolumeSnapshotContent {snapshots[0].Record.ContentName} of VolumeSnapshot shop/{snapshots[0].Record.SnapshotName} of claim shop/data "
            + "left alone (and its storage snapshot with it): it is bound to VolumeSnapshot uid none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_BroughtBackButTheContentNamesAnotherObject_LeftAlone_AndTheContentToo()
    {
        var (_, snapshots) = await BackUpAsync("ci-1", ["data"], retainedByStrata: true);
        await BackUpAsync("ci-2", ["data"], retainedByStrata: true);
        await BringBackAsync(snapshots[0], boundTo: snapshots[0].Record.ContentName!);
        // Its status says bound to the recorded content; the content's own reference says otherwise.
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshots[0].Record.ContentName!,
            new JsonObject { ["spec"] = new JsonObject { ["volumeSnapshotRef"] = new JsonObject { ["namespace"] = "shop", ["name"] = "someone-elses", ["uid"] = "u-1" } } });

        var result = await SweepAsync();

        Assert.Empty(_cluster.Deletes);
        Assert.Equal("Retain", _cluster.Objects[snapshots[0].ContentKey]["spec"]!["deletionPolicy"]!.GetValue<string>());
        Assert.Contains(result.Logs, l => l.Contains("it is not proven brought back from it: that content's volumeSnapshotRef names shop/someone-elses (uid u-1), not it",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_BroughtBackButTheContentHoldsAnotherHandle_LeftAlone_AndTheContentToo()
    {
        var (_, snapshots) = await BackUpAsync("ci-1", ["data"], retainedByStrata: true);
        await BackUpAsync("ci-2", ["data"], retainedByStrata: true);
        await BringBackAsync(snapshots[0], boundTo: snapshots[0].Record.ContentName!);
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshots[0].Record.ContentName!,
            new JsonObject { ["status"] = new JsonObject { ["snapshotHandle"] = "snap-restored-from-elsewhere" } });

        var result = await SweepAsync();

        Assert.Empty(_cluster.Deletes);
        Assert.Equal("Retain", _cluster.Objects[snapshots[0].ContentKey]["spec"]!["deletionPolicy"]!.GetValue<string>());
        Assert.Contains(result.Logs, l => l.Contains($"it is not proven brought back from it: that content holds snapshotHandle snap-restored-from-elsewhere, recorded {snapshots[0].Record.SnapshotHandle}",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_SnapshotAlreadyGone_IsFine()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        _cluster.Remove(snapshots[0].Key.Split('/')[0], "shop", snapshots[0].Record.SnapshotName);

        var result = await SweepAsync();

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Contains(result.Logs, l => l.Contains("of claim shop/data is already gone", StringComparison.Ordinal));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Sweep_ClusterUnreachable_KeepsTheWholeBackup_Alerts_AndTheNextSweepExpiresIt()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        _plane.Clusters.Clusters.Remove("prod");

        var result = await SweepAsync();

        Assert.Null((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Contains(old.Location + ArtifactLayout.Manifest, _plane.Store.Artifacts.Keys);
        Assert.Contains(old.Location + snapshots[0].Record.Path, _plane.Store.Artifacts.Keys);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal(("retention-failed", "retention-failed/nightly/prod"), (alert.Kind, alert.DedupKey));
        Assert.Contains($"could not delete 1 backup(s): {old.Id}: ", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("Connection refused", alert.Summary, StringComparison.Ordinal);

        _plane.Clusters.Clusters["prod"] = _cluster;
        _plane.Clock.Advance(TimeSpan.FromHours(1));
        var retried = await SweepAsync();

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.False(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Empty(retried.Messages);
    }

    [Fact]
    public async Task Sweep_ClusterUnreachable_TriedOncePerSweep_BackupsWithoutSnapshotsStillExpire()
    {
        var (first, _) = await BackUpAsync("ci-1", ["data"]);
        var (second, _) = await BackUpAsync("ci-2", ["data"]);
        var (plain, _) = await BackUpAsync("ci-3");
        await BackUpAsync("ci-4");
        _plane.Clusters.Clusters.Remove("prod");
        _plane.Clusters.Connections.Clear();

        var result = await SweepAsync();

        Assert.Equal(1, _plane.Clusters.Connections["prod"]);
        Assert.Null((await _plane.History.FindBackupAsync(first.Id))!.ExpiredAt);
        Assert.Null((await _plane.History.FindBackupAsync(second.Id))!.ExpiredAt);
        Assert.NotNull((await _plane.History.FindBackupAsync(plain.Id))!.ExpiredAt);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Contains("could not delete 2 backup(s)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_DeleteRefused_KeepsTheBackup_Alerts_TheManifestGoneButTheRecordsLeftForTheRetry()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        _cluster.DeleteDenial = _ => "User \"strata\" cannot delete resource \"volumesnapshots\"";

        var result = await SweepAsync();

        Assert.Null((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Contains(old.Location + snapshots[0].Record.Path, _plane.Store.Artifacts.Keys);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Contains("could not be deleted", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("cannot delete resource", alert.Summary, StringComparison.Ordinal);

        _cluster.DeleteDenial = null;
        _plane.Clock.Advance(TimeSpan.FromHours(1));
        await SweepAsync();

        Assert.False(_cluster.Objects.ContainsKey(snapshots[0].Key)); // found again through volumes/, the manifest being gone
        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.DoesNotContain(_plane.Store.Artifacts.Keys, k => k.StartsWith(old.Location, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_LockedVerdict_NeverReachesDeletion_SnapshotsStay()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        await _plane.History.SaveBackupAsync(old with { RetainUntil = _plane.Clock.GetUtcNow().AddDays(30) });

        var result = await SweepAsync();

        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Empty(_cluster.Deletes);
        Assert.Contains(result.Logs, l => l.Contains($"{old.Id} kept: no rule keeps it; write-once until", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_StoreRefusesTheManifest_NothingDeleted_SnapshotsStay()
    {
        var (old, snapshots) = await BackUpAsync("ci-1", ["data"]);
        await BackUpAsync("ci-2", ["data"]);
        _plane.Store.Locks[old.Location + ArtifactLayout.Manifest] = _plane.Clock.GetUtcNow().AddDays(30); // a legal hold the record does not know of

        var result = await SweepAsync();

        Assert.True(_cluster.Objects.ContainsKey(snapshots[0].Key));
        Assert.Empty(_cluster.Deletes);
        Assert.Contains(old.Location + snapshots[0].Record.Path, _plane.Store.Artifacts.Keys);
        Assert.Null((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        Assert.Contains(result.Logs, l => l.Contains($"{old.Id} kept: no rule keeps it; the store says {old.Location}{ArtifactLayout.Manifest}: locked until", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_LastVerifiedBackupKeptWhileNewerOnesAreNotVerified_ItsSnapshotsStay()
    {
        var (verified, verifiedSnapshots) = await BackUpAsync("ci-1", ["data"]);
        await _plane.History.SaveBackupAsync(verified with { Status = BackupStatus.Verified });
        var (middle, middleSnapshots) = await BackUpAsync("ci-2", ["data"]);
        await BackUpAsync("ci-3", ["data"]);

        var result = await SweepAsync();

        Assert.True(_cluster.Objects.ContainsKey(verifiedSnapshots[0].Key));
        Assert.False(_cluster.Objects.ContainsKey(middleSnapshots[0].Key));
        Assert.Null((await _plane.History.FindBackupAsync(verified.Id))!.ExpiredAt);
        Assert.NotNull((await _plane.History.FindBackupAsync(middle.Id))!.ExpiredAt);
        Assert.Contains(result.Logs, l => l.EndsWith("nightly/prod: 2 kept, 1 expired, 0 locked, 0 failed", StringComparison.Ordinal));
    }

    /// <summary>A backup through the backup worker (the clock moved a day first), with a snapshot of each of <paramref name="claims"/> added to it.</summary>
    /// <remarks>With <paramref name="retainedByStrata"/>, each content is <c>Retain</c> and recorded as set so by Strata (from <c>Delete</c>).</remarks>
    private async Task<(BackupRecord Record, IReadOnlyList<TakenSnapshot> Snapshots)> BackUpAsync(
        string id, string[]? claims = null, string deletionPolicy = "Delete", bool retainedByStrata = false)
    {
        if (!_plane.Clusters.Clusters.ContainsKey("prod"))
        {
            _cluster = await _plane.AddClusterAsync("prod");
            await VolumeSnapshotFakes.ServeSnapshotApiAsync(_cluster);
        }

        _plane.Clock.Advance(TimeSpan.FromDays(1));
        var request = _plane.Request(id);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        var taken = new List<TakenSnapshot>();
        foreach (var claim in claims ?? [])
        {
            var snapshot = await VolumeSnapshotFakes.TakeAsync(_cluster, record.Id, claim, deletionPolicy: retainedByStrata ? "Retain" : deletionPolicy);
            taken.Add(retainedByStrata ? snapshot with { Record = snapshot.Record with { OriginalDeletionPolicy = "Delete" } } : snapshot);
        }

        if (taken.Count > 0)
        {
            VolumeSnapshotFakes.AddToBackup(_plane.Store, record, taken);
        }

        return (record, taken);
    }

    private Task<FunctionResult> SweepAsync() => RetentionSweep.RunAsync(_plane.Context);

    /// <summary>
    /// Brings the snapshot's VolumeSnapshot back as verification's error says to: deleted, its content's
    /// <c>spec.volumeSnapshotRef.uid</c> cleared, a pre-provisioned VolumeSnapshot of the same name (no Strata labels) naming
    /// the content — and, as the snapshot controller leaves it, bound to <paramref name="boundTo"/>, which when it is the
    /// recorded content learns the new uid. Returns the new uid.
    /// </summary>
    private async Task<string> BringBackAsync(TakenSnapshot snapshot, string boundTo)
    {
        var (ns, name, content) = (snapshot.Record.Namespace, snapshot.Record.SnapshotName, snapshot.Record.ContentName!);
        _cluster.Remove(snapshot.Key.Split('/')[0], ns, name);
        await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content,
            new JsonObject { ["spec"] = new JsonObject { ["volumeSnapshotRef"] = new JsonObject { ["uid"] = null } } });
        var uid = (await _cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, ns, new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = content } },
            ["status"] = new JsonObject { ["boundVolumeSnapshotContentName"] = boundTo, ["readyToUse"] = true },
        })).Uid!;
        Assert.NotEqual(snapshot.Record.SnapshotUid, uid);
        if (boundTo == content)
        {
            await _cluster.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content,
                new JsonObject { ["spec"] = new JsonObject { ["volumeSnapshotRef"] = new JsonObject { ["uid"] = uid } } });
        }

        return uid;
    }

    /// <summary>Deletes the snapshot's object and creates another under its name (with <paramref name="labels"/>, else the same ones); returns the new uid.</summary>
    private async Task<string> ReplaceAsync(TakenSnapshot snapshot, JsonObject? labels = null)
    {
        var body = snapshot.VolumeSnapshot.DeepClone().AsObject();
        if (labels is not null)
        {
            body["metadata"]!["labels"] = labels;
        }

        _cluster.Remove(snapshot.Key.Split('/')[0], snapshot.Record.Namespace, snapshot.Record.SnapshotName);
        return (await _cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, snapshot.Record.Namespace, body)).Uid!;
    }
}

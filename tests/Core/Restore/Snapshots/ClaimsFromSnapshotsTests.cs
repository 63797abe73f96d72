using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Restore;
using Strata.Core.Restore.Snapshots;
using Strata.Core.Runs;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit;
using static Strata.Core.Tests.Restore.Snapshots.SnapshotWorld;

namespace Strata.Core.Tests.Restore.Snapshots;

/// <summary>
/// Claims restored from the backup's snapshots, through sandboxes over real HTTPS with the simulated snapshot controller,
/// CSI sidecars and provisioner: the same namespace, a mapped one, another cluster on the same storage system, and each
/// way it cannot work.
/// </summary>
public sealed class ClaimsFromSnapshotsTests
{
    private static readonly string RestoreId = Request().RestoreId!;
    private static readonly string Contents = VolumeSnapshotApi.VolumeSnapshotContents.QualifiedName;
    private static readonly string Snapshots = VolumeSnapshotApi.VolumeSnapshots.QualifiedName;

    private static IEnumerable<RestoreItemResult> Items(RestoreRecord record, string resource, RestoreItemOutcome? outcome = null) =>
        record.Items.Where(i => i.Resource == resource && (outcome is null || i.Outcome == outcome));

    private static async Task<VolumeSnapshotRecord> RecordOfAsync(SnapshotWorld world, string claim) =>
        (await ManifestFile.ReadAsync(world.Store, Prefix))!.Volumes!.Single(v => v.Claim == claim);

    [Fact]
    public async Task Restore_SameNamespace_OriginalSnapshotStillThere_ClaimNamesIt_AndIsBoundToAVolumeFromIt()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        foreach (var claim in Protected)
        {
            await world.ProdClient.DeleteAsync(VolumeSnapshotApi.Claims, "shop", claim);
        }

        var record = await world.Restore(world.ProdClient).RunAsync(Request());

        Assert.True(record.Status == RestoreStatus.Succeeded, record.Error ?? string.Join("; ", record.Items.Where(i => i.Outcome == RestoreItemOutcome.Failed)));
        foreach (var claim in Protected)
        {
            var original = VolumeSnapshotName.For(claim, SnapshotWorld.BackupId);
            var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == claim);
            Assert.Equal((RestoreItemOutcome.Created, $"from VolumeSnapshot shop/{original}, the backup's own"), (item.Outcome, item.Message));
            var bound = await UntilAsync(world.ProdClient, VolumeSnapshotApi.Claims, "shop", claim, c => c.GetString("status.phase") == "Bound");
            Assert.Equal((original, original), (bound.GetString("spec.dataSource.name"), bound.GetString("spec.dataSourceRef.name")));
            var volume = await world.ProdClient.GetAsync(VolumeSnapshotApi.Volumes, null, bound.GetString("spec.volumeName")!);
            Assert.Equal((await RecordOfAsync(world, claim)).SnapshotHandle, volume!.Annotation("sandbox.strata.dev/restored-from-snapshot"));
        }

        Assert.Empty(Items(record, Contents, RestoreItemOutcome.Created)); // nothing pre-provisioned: the originals are there
        Assert.Equal(2, record.Counts[BackupRestore.ClaimsFromSnapshotsCount]);
        // Their deleted volumes are not restored: a volume pre-bound to the claim would win over the snapshot.
        Assert.Equal(2, Items(record, "persistentvolumes", RestoreItemOutcome.SkippedRecreated).Count(i => i.Message!.Contains("is restored from its snapshot", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Restore_SnapshotCommittedAndReadyWithAnErrorRecorded_RestoresTheClaimFromIt_AndPassesTheErrorOnAsAWarning()
    {
        // A post hook that failed with onError: Fail: the snapshot was kept, committed and ready, and the record carries the error.
        const string hookError = "post hook unfreeze in pod shop/db-0 exited with 1 (fsfreeze: /data: not frozen): the snapshot of claim shop/data-db-0 was kept, but may not be consistent";
        await using var world = await StartAsync();
        await world.BackUpAsync(record: r => r.Claim == "data-db-0" ? r with { Error = hookError } : r);
        foreach (var claim in Protected)
        {
            await world.ProdClient.DeleteAsync(VolumeSnapshotApi.Claims, "shop", claim);
        }

        var record = await world.Restore(world.ProdClient).RunAsync(Request());

        var original = VolumeSnapshotName.For("data-db-0", SnapshotWorld.BackupId);
        var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == "data-db-0");
        Assert.Equal((RestoreItemOutcome.Created, $"from VolumeSnapshot shop/{original}, the backup's own"), (item.Outcome, item.Message));
        var bound = await UntilAsync(world.ProdClient, VolumeSnapshotApi.Claims, "shop", "data-db-0", c => c.GetString("status.phase") == "Bound");
        Assert.Equal(original, bound.GetString("spec.dataSource.name"));
        Assert.Equal(2, record.Counts[BackupRestore.ClaimsFromSnapshotsCount]);
        // Its old volume is not restored either: the claim gets a new one from the snapshot.
        Assert.Equal(2, Items(record, "persistentvolumes", RestoreItemOutcome.SkippedRecreated).Count());
        var warning = Assert.Single(record.Problems, p => p.Name == "data-db-0");
        Assert.Equal((Results.ProblemSeverity.Warning, "RecordedError", "shop"), (warning.Severity, warning.Reason, warning.Namespace));
        Assert.Equal($"restored from its snapshot in backup {SnapshotWorld.BackupId}, against which the backup recorded an error: {hookError}", warning.Message);
        Assert.DoesNotContain(record.Problems, p => p.Reason == "Unprotected" && p.Name == "data-db-0");
    }

    [Fact]
    public async Task Restore_MappedNamespace_PreProvisionedRetainContentAndSnapshot_ClaimsBound_StrataSnapshotsNotReapplied()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();

        var record = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));

        Assert.True(record.Status == RestoreStatus.Succeeded, string.Join("; ", record.Items.Where(i => i.Outcome == RestoreItemOutcome.Failed)));
        foreach (var claim in Protected)
        {
            var recorded = await RecordOfAsync(world, claim);
            var contentName = SnapshotRestoreNames.Content(RestoreId, "shop-dr", claim);
            var snapshotName = SnapshotRestoreNames.Snapshot(RestoreId, claim);
            var content = (await world.ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, contentName))!;
            Assert.Equal(("Retain", Driver, recorded.SnapshotHandle, "Filesystem", "csi-azuredisk-vsc"),
                (content.GetString("spec.deletionPolicy"), content.GetString("spec.driver"), content.GetString("spec.source.snapshotHandle"),
                 content.GetString("spec.sourceVolumeMode"), content.GetString("spec.volumeSnapshotClassName")));
            Assert.Equal(("shop-dr", snapshotName), (content.GetString("spec.volumeSnapshotRef.namespace"), content.GetString("spec.volumeSnapshotRef.name")));
            Assert.Equal((RestoreId, "strata"), (content.Label(StrataLabels.RestoreId), content.Label(StrataLabels.ManagedBy)));
            var snapshot = (await world.ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop-dr", snapshotName))!;
            Assert.Equal((contentName, "true"), (snapshot.GetString("spec.source.volumeSnapshotContentName"), snapshot.Json["status"]!["readyToUse"]!.ToJsonString()));

            var bound = await UntilAsync(world.ProdClient, VolumeSnapshotApi.Claims, "shop-dr", claim, c => c.GetString("status.phase") == "Bound");
            Assert.Equal(("VolumeSnapshot", snapshotName, snapshotName), (bound.GetString("spec.dataSource.kind"), bound.GetString("spec.dataSource.name"), bound.GetString("spec.dataSourceRef.name")));
            Assert.StartsWith($"from VolumeSnapshot shop-dr/{snapshotName} (pre-provisioned content {contentName}", Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == claim).Message, StringComparison.Ordinal);
            Assert.Equal(RestoreItemOutcome.Created, Assert.Single(Items(record, Contents), i => i.Name == contentName).Outcome);
            Assert.Equal(RestoreItemOutcome.Created, Assert.Single(Items(record, Snapshots), i => i.Name == snapshotName).Outcome);
            Assert.NotNull(world.Cloud.Find(Driver, recorded.SnapshotHandle!)); // one storage snapshot, two names
        }

        Assert.Equal(2, record.Counts[BackupRestore.ClaimsFromSnapshotsCount]);
        var notReapplied = Items(record, Snapshots, RestoreItemOutcome.SkippedRecreated).ToList();
        Assert.Equal(Protected.Select(c => VolumeSnapshotName.For(c, SnapshotWorld.BackupId)), notReapplied.Select(i => i.Name).Order());
        Assert.All(notReapplied, i => Assert.StartsWith($"made by Strata's volume layer (backup {SnapshotWorld.BackupId})", i.Message, StringComparison.Ordinal));
        Assert.Equal(2, Items(record, Contents, RestoreItemOutcome.SkippedRecreated).Count());
        Assert.Null(await world.ProdClient.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop-dr", VolumeSnapshotName.For("data-db-0", SnapshotWorld.BackupId)));
        // The user's own VolumeSnapshot restores like any other object; the claim no snapshot protects comes back without data, with a warning.
        Assert.Equal(RestoreItemOutcome.Created, Assert.Single(Items(record, Snapshots), i => i.Name == "before-upgrade").Outcome);
        var shared = (await world.ProdClient.GetAsync(VolumeSnapshotApi.Claims, "shop-dr", "shared"))!;
        Assert.Null(shared.GetString("spec.dataSource.name"));
        var warning = Assert.Single(record.Problems, p => p.Reason == "Unprotected");
        Assert.Equal(("shop-dr", "shared"), (warning.Namespace, warning.Name));
        Assert.Contains("no VolumeSnapshotClass for driver file.csi.azure.com", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_AnotherClusterOnTheSameStorageSystem_ImportsTheSnapshots_ClaimsBound()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (_, dr) = await world.ClusterAsync("dr", csiDriver: true, sharesStorage: true);

        var record = await world.Restore(dr).RunAsync(Request("dr"));

        Assert.True(record.Status == RestoreStatus.Succeeded, string.Join("; ", record.Items.Where(i => i.Outcome == RestoreItemOutcome.Failed)));
        foreach (var claim in Protected)
        {
            var bound = await UntilAsync(dr, VolumeSnapshotApi.Claims, "shop", claim, c => c.GetString("status.phase") == "Bound");
            Assert.Equal(SnapshotRestoreNames.Snapshot(RestoreId, claim), bound.GetString("spec.dataSource.name"));
            var volume = await dr.GetAsync(VolumeSnapshotApi.Volumes, null, bound.GetString("spec.volumeName")!);
            Assert.Equal((await RecordOfAsync(world, claim)).SnapshotHandle, volume!.Annotation("sandbox.strata.dev/restored-from-snapshot"));
        }
    }

    [Fact]
    public async Task Restore_AnotherClusterWithoutTheCsiDriver_FailsEachClaimSayingWhy_AndRestoresTheRest()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (_, dr) = await world.ClusterAsync("dr", csiDriver: false, sharesStorage: true);

        var record = await world.Restore(dr).RunAsync(Request("dr"));

        Assert.Equal(RestoreStatus.PartiallyFailed, record.Status);
        foreach (var claim in Protected)
        {
            var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == claim);
            Assert.Equal((RestoreItemOutcome.Failed, $"cluster dr has no CSI driver {Driver}; the snapshot of shop/{claim} cannot be restored there; the claim was not created"),
                (item.Outcome, item.Message));
            Assert.Null(await dr.GetAsync(VolumeSnapshotApi.Claims, "shop", claim));
        }

        Assert.Empty(Items(record, Contents, RestoreItemOutcome.Created));
        Assert.NotNull(await dr.GetAsync(VolumeSnapshotApi.Claims, "shop", "shared"));
        Assert.NotNull(await dr.GetAsync(StatefulSets, "shop", "db"));
    }

    [Fact]
    public async Task Restore_AnotherClusterWhoseStorageSystemDoesNotKnowTheHandle_FailsEachClaimAtTheTimeoutWithTheDriversError_NeverCreatesItEmpty()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (_, dr) = await world.ClusterAsync("dr", csiDriver: true, sharesStorage: false);

        var record = await world.Restore(dr, readyTimeout: TimeSpan.FromMilliseconds(300)).RunAsync(Request("dr"));

        Assert.Equal(RestoreStatus.PartiallyFailed, record.Status);
        foreach (var claim in Protected)
        {
            var handle = (await RecordOfAsync(world, claim)).SnapshotHandle;
            var snapshotName = SnapshotRestoreNames.Snapshot(RestoreId, claim);
            var snapshot = Assert.Single(Items(record, Snapshots), i => i.Name == snapshotName);
            Assert.Equal(RestoreItemOutcome.Failed, snapshot.Outcome);
            Assert.Contains($"can not find snapshot for snapshotID {handle}", snapshot.Message, StringComparison.Ordinal);
            var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == claim);
            Assert.Equal(RestoreItemOutcome.Failed, item.Outcome);
            // An error is not the end (the controller retries): given up at the timeout, with the last error seen.
            Assert.StartsWith($"VolumeSnapshot shop/{snapshotName} was not readyToUse after 300 ms (bound to {SnapshotRestoreNames.Content(RestoreId, "shop", claim)}, not readyToUse); "
                + "its last error: Failed to check and update snapshot content: ", item.Message, StringComparison.Ordinal);
            Assert.Contains($"can not find snapshot for snapshotID {handle}", item.Message, StringComparison.Ordinal);
            Assert.Contains($"cluster dr's CSI driver {Driver} does not restore handle {handle}", item.Message, StringComparison.Ordinal);
            Assert.EndsWith("the claim was not created: an empty volume where the backup holds data would look restored and not be", item.Message, StringComparison.Ordinal);
            Assert.Null(await dr.GetAsync(VolumeSnapshotApi.Claims, "shop", claim));
        }
    }

    [Fact]
    public async Task Restore_SnapshotReportsAnErrorThatClears_KeepsWaiting_ClaimRestoredFromIt()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (drServer, dr) = await world.ClusterAsync("dr", csiDriver: true, sharesStorage: false);
        using var http = SandboxHttp.Create(drServer, drServer.AdminToken);

        // The storage system does not know the handle yet: the sidecar's ListSnapshots fails, and the snapshots report it.
        var restoring = world.Restore(dr).RunAsync(Request("dr"));
        foreach (var claim in Protected)
        {
            await UntilAsync(dr, VolumeSnapshotApi.VolumeSnapshots, "shop", SnapshotRestoreNames.Snapshot(RestoreId, claim), s => s.GetString("status.error.message") is not null);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300)); // the restore looks every 20 ms: it has seen the errors
        foreach (var claim in Protected)
        {
            // A retry of the sidecar succeeds: the content's status says ready, and the controller clears the snapshot's error.
            var recorded = await RecordOfAsync(world, claim);
            drServer.SnapshotBackend!.Add(new StorageSnapshot(Driver, recorded.SnapshotHandle!, null, recorded.RestoreSizeBytes!.Value, DateTimeOffset.UnixEpoch));
            var (code, body) = await http.SendJsonAsync(HttpMethod.Patch,
                $"/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/{SnapshotRestoreNames.Content(RestoreId, "shop", claim)}/status",
                new JsonObject
                {
                    ["status"] = new JsonObject
                    {
                        ["error"] = null, ["readyToUse"] = true, ["snapshotHandle"] = recorded.SnapshotHandle, ["restoreSize"] = recorded.RestoreSizeBytes, ["creationTime"] = 0L,
                    },
                },
                "application/merge-patch+json");
            Assert.True(code == 200, body.ToJsonString());
        }

        var record = await restoring;

        Assert.True(record.Status == RestoreStatus.Succeeded, string.Join("; ", record.Items.Where(i => i.Outcome == RestoreItemOutcome.Failed)));
        foreach (var claim in Protected)
        {
            var snapshotName = SnapshotRestoreNames.Snapshot(RestoreId, claim);
            Assert.StartsWith($"from VolumeSnapshot shop/{snapshotName}", Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == claim).Message, StringComparison.Ordinal);
            var bound = await UntilAsync(dr, VolumeSnapshotApi.Claims, "shop", claim, c => c.GetString("status.phase") == "Bound");
            Assert.Equal(snapshotName, bound.GetString("spec.dataSource.name"));
        }
    }

    [Fact]
    public async Task Restore_SnapshotNeverReady_GivesUpAfterTheTimeout_ClaimFailed()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (drServer, dr) = await world.ClusterAsync("dr", csiDriver: true, sharesStorage: false);
        foreach (var claim in Protected)
        {
            var recorded = await RecordOfAsync(world, claim);
            drServer.SnapshotBackend!.Add(new StorageSnapshot(Driver, recorded.SnapshotHandle!, null, recorded.RestoreSizeBytes!.Value, DateTimeOffset.UnixEpoch, ReadyToUse: false));
        }

        var record = await world.Restore(dr, readyTimeout: TimeSpan.FromMilliseconds(300)).RunAsync(Request("dr"));

        var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == "data-db-0");
        Assert.True(item.Outcome == RestoreItemOutcome.Failed, item.Message);
        Assert.True(item.Message!.StartsWith($"VolumeSnapshot shop/{SnapshotRestoreNames.Snapshot(RestoreId, "data-db-0")} was not readyToUse after 300 ms " +
            $"(bound to {SnapshotRestoreNames.Content(RestoreId, "shop", "data-db-0")}, not readyToUse); the claim was not created", StringComparison.Ordinal), item.Message);
    }

    [Fact]
    public async Task Restore_TargetWithoutTheSnapshotApi_FailsEachClaimSayingSo()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        var (_, dr) = await world.ClusterAsync("dr", csiDriver: true, sharesStorage: true, snapshotApi: false);

        var record = await world.Restore(dr).RunAsync(Request("dr"));

        var item = Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == "data-db-1");
        Assert.Equal(RestoreItemOutcome.Failed, item.Outcome);
        Assert.StartsWith("cluster dr does not serve snapshot.storage.k8s.io/v1 VolumeSnapshots and VolumeSnapshotContents", item.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_RequestSmallerThanTheSnapshot_RaisedToItsRestoreSize_WithAWarning()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync(archived: o =>
        {
            if (o.Kind == "PersistentVolumeClaim" && o.Name == "data-db-0")
            {
                o.Json["spec"]!["resources"]!["requests"]!["storage"] = "1Gi";
            }
        });

        var record = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));

        var bound = await UntilAsync(world.ProdClient, VolumeSnapshotApi.Claims, "shop-dr", "data-db-0", c => c.GetString("status.phase") == "Bound");
        Assert.Equal("5Gi", bound.GetString("spec.resources.requests.storage"));
        var warning = Assert.Single(record.Problems, p => p.Reason == "RequestRaised");
        Assert.Equal(("shop-dr", "data-db-0", "storage request raised from 1Gi to 5Gi: the snapshot restores into no smaller volume (its restoreSize)"),
            (warning.Namespace, warning.Name, warning.Message));
        Assert.EndsWith(warning.Message, Assert.Single(Items(record, "persistentvolumeclaims"), i => i.Name == "data-db-0").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_ApplicationConsistentSnapshot_ConfigMapHoldsTheExactBackupLabel_AndTheReportNamesIt()
    {
        const string label = "START WAL LOCATION: 0/9000028 (file 000000010000000000000009)\nCHECKPOINT LOCATION: 0/9000060\nBACKUP METHOD: streamed\n" +
            "BACKUP FROM: primary\nSTART TIME: 2026-11-30 02:00:01 UTC\nLABEL: strata 20261130-020000-0bac0b\nSTART TIMELINE: 1\n";
        await using var world = await StartAsync();
        await world.BackUpAsync(record: r => r.Claim != "data-db-0" ? r : r with
        {
            Consistency = VolumeConsistency.Application,
            OnlineBackup = new OnlineBackupRecord { Target = "shop/db", Label = "strata " + SnapshotWorld.BackupId, StartLsn = "0/9000028", StopLsn = "0/9000138", BackupLabel = label, TablespaceMap = "" },
        });

        var record = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));

        var configMap = (await world.ProdClient.GetAsync(ConfigMaps, "shop-dr", "data-db-0-backup-label"))!;
        Assert.Equal(label, configMap.Json["data"]![BackupLabelConfigMap.BackupLabelKey]!.GetValue<string>());
        Assert.Null(configMap.Json["data"]![BackupLabelConfigMap.TablespaceMapKey]); // the server had no tablespaces
        Assert.Equal(("0/9000028-0/9000138", RestoreId), (configMap.Annotation(BackupLabelConfigMap.WalRangeAnnotation), configMap.Label(StrataLabels.RestoreId)));
        Assert.Null(await world.ProdClient.GetAsync(ConfigMaps, "shop-dr", "data-db-1-backup-label")); // crash-consistent: nothing to add
        var note = Assert.Single(record.Problems, p => p.Reason == "BackupLabel");
        Assert.Equal(("shop-dr", "data-db-0"), (note.Namespace, note.Name));
        Assert.Contains("copy backup_label from ConfigMap shop-dr/data-db-0-backup-label", note.Message, StringComparison.Ordinal);
        Assert.Contains("replay WAL 0/9000028 to 0/9000138", note.Message, StringComparison.Ordinal);
        Assert.Equal(RestoreItemOutcome.Created, Assert.Single(Items(record, "configmaps"), i => i.Name == "data-db-0-backup-label").Outcome);
    }

    [Fact]
    public async Task Restore_AgainIntoTheSameNamespace_ReplacesTheEarlierRestoresBackupLabel_AndNeverReappliesOneFromTheArchive()
    {
        await using var world = await StartAsync();
        var online = new OnlineBackupRecord { Target = "shop/db", Label = "l", StartLsn = "0/1", StopLsn = "0/2", BackupLabel = "START WAL LOCATION: 0/1\n", TablespaceMap = "16384 /mnt/ts\n" };
        // An earlier restore's ConfigMap, captured by this backup, with another snapshot's label.
        var earlier = BackupLabelConfigMap.Body("shop", "data-db-0", new VolumeSnapshotRecord
        {
            Namespace = "shop", Claim = "data-db-0", SnapshotName = "old", Consistency = VolumeConsistency.Application,
            OnlineBackup = online with { BackupLabel = "START WAL LOCATION: 0/OLD\n" },
        }, "20261101-000000-0e0e0e", "20261031-000000-0b0b0b");
        await world.ProdClient.CreateAsync(ConfigMaps, "shop", earlier);
        await world.BackUpAsync(record: r => r.Claim != "data-db-0" ? r : r with { Consistency = VolumeConsistency.Application, OnlineBackup = online });

        var first = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));
        foreach (var claim in Protected)
        {
            await world.ProdClient.DeleteAsync(VolumeSnapshotApi.Claims, "shop-dr", claim);
        }

        var second = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr", restoreId: "20261130-041500-5e5e5e"));

        var archived = Assert.Single(Items(first, "configmaps"), i => i.Outcome == RestoreItemOutcome.SkippedRecreated);
        Assert.StartsWith("the backup_label Strata's restore 20261101-000000-0e0e0e wrote", archived.Message, StringComparison.Ordinal);
        Assert.Equal(RestoreItemOutcome.Created, Assert.Single(Items(first, "configmaps"), i => i.Outcome != RestoreItemOutcome.SkippedRecreated).Outcome);
        var replaced = Assert.Single(Items(second, "configmaps"), i => i.Outcome == RestoreItemOutcome.Updated);
        Assert.Equal($"made by Strata's restore {RestoreId} for another snapshot; replaced with this one's", replaced.Message);
        var configMap = (await world.ProdClient.GetAsync(ConfigMaps, "shop-dr", "data-db-0-backup-label"))!;
        Assert.Equal(("START WAL LOCATION: 0/1\n", "16384 /mnt/ts\n", "20261130-041500-5e5e5e"),
            (configMap.Json["data"]!["backup_label"]!.GetValue<string>(), configMap.Json["data"]!["tablespace_map"]!.GetValue<string>(), configMap.Label(StrataLabels.RestoreId)));
    }

    [Fact]
    public async Task Restore_DryRun_CreatesNothing_AndSaysWhatItWouldCreate()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();

        var record = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr", dryRun: true));

        Assert.True(record.DryRun);
        Assert.Equal(2, Items(record, Contents, RestoreItemOutcome.Created).Count());
        Assert.Equal(2, Items(record, Snapshots, RestoreItemOutcome.Created).Count(i => i.Name.StartsWith("strata-" + RestoreId, StringComparison.Ordinal)));
        Assert.All(Items(record, "persistentvolumeclaims").Where(i => Protected.Contains(i.Name)), i => Assert.Equal(RestoreItemOutcome.Created, i.Outcome));
        Assert.Equal(2, record.Counts[BackupRestore.ClaimsFromSnapshotsCount]);
        await foreach (var content in world.ProdClient.ListAsync(VolumeSnapshotApi.VolumeSnapshotContents, new Ports.ListRequest(LabelSelector: SnapshotRestoreNames.Selector(RestoreId))))
        {
            Assert.Fail($"a dry run created {content.Name}");
        }

        Assert.Null(await world.ProdClient.GetAsync(Namespaces, null, "shop-dr"));
    }

    [Fact]
    public async Task Restore_ReplayedWithTheSameId_UsesWhatItMadeBefore()
    {
        await using var world = await StartAsync();
        await world.BackUpAsync();
        await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));
        foreach (var claim in Protected)
        {
            await world.ProdClient.DeleteAsync(VolumeSnapshotApi.Claims, "shop-dr", claim); // as if the first attempt died before the claims
        }

        var record = await world.Restore(world.ProdClient).RunAsync(Request(mapTo: "shop-dr"));

        Assert.Equal(2, Items(record, Contents, RestoreItemOutcome.SkippedExisting).Count(i => i.Message == "made by an earlier attempt of this restore; used as it is"));
        Assert.Equal(2, Items(record, Snapshots, RestoreItemOutcome.SkippedExisting).Count(i => i.Name.StartsWith("strata-" + RestoreId, StringComparison.Ordinal)));
        foreach (var claim in Protected)
        {
            await UntilAsync(world.ProdClient, VolumeSnapshotApi.Claims, "shop-dr", claim, c => c.GetString("status.phase") == "Bound");
        }
    }
}

using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Kubernetes;
using Strata.Core.Runs;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// The volume layer sets its snapshots' contents from <c>Delete</c> to <c>Retain</c>, so that deleting the namespace
/// does not delete the backups' data; retention then deletes the storage snapshot itself. Whole backups through the
/// backup worker and retention sweeps, against the sandbox's simulated snapshot controller and sidecar.
/// </summary>
public sealed class RetainedSnapshotTests : IAsyncLifetime
{
    private const string Driver = "disk.csi.azure.com";

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create("""
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [shop] }
            retention: { keepLast: 1, minVerifiedKept: 1 }
            volumes: { mode: snapshot, pollInterval: 1s, timeout: 30s }
        """);

    private SandboxApiServer _server = null!;
    private KubernetesClient _client = null!;

    private SnapshotBackend Storage => _server.SnapshotBackend!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots() } });
        _server.CreateNamespace("shop");
        VolumeSnapshotCrds.Install(_server);
        _server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        _server.Create(StorageObjects.VolumeSnapshotClass("csi-delete", Driver, "Delete", isDefault: true));
        _server.Create(StorageObjects.Claim("shop", "data", "managed-csi", "5Gi"));
        _client = new KubernetesClient(Kubeconfig.Parse(_server.Kubeconfig("prod"), "test kubeconfig").Resolve());
        _plane.Clusters.Clusters["prod"] = _client;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Backup_DeletePolicyClass_TheContentIsSetToRetain_AndTheRecordSaysStrataDidIt()
    {
        var (_, record) = await BackUpAsync("ci-1");

        Assert.Equal(("Retain", "Delete", true), (record.DeletionPolicy, record.OriginalDeletionPolicy, record.RetainedByStrata));
        var content = (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!))!;
        Assert.Equal("Retain", content.GetString("spec.deletionPolicy"));
        Assert.Equal("Delete", content.Annotation(VolumeSnapshotApi.OriginalDeletionPolicyAnnotation));
    }

    [Fact]
    public async Task NamespaceDeleted_TheBackupsStorageSnapshotsSurvive_AndRetentionThenDeletesTheExpiredOnesContentAndHandle()
    {
        var (backup, old) = await BackUpAsync("ci-1");
        var (_, kept) = await BackUpAsync("ci-2");

        await _client.DeleteAsync(new ApiResource("", "v1", "namespaces", "Namespace", false, ["delete"]), null, "shop");
        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", old.SnapshotName) is null);

        // Restore is still possible: the storage system still has both snapshots, and their contents are there.
        Assert.NotNull(Storage.Find(Driver, old.SnapshotHandle!));
        Assert.NotNull(Storage.Find(Driver, kept.SnapshotHandle!));
        Assert.NotNull(await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, old.ContentName!));

        var result = await RetentionSweep.RunAsync(_plane.Context);

        Assert.NotNull((await _plane.History.FindBackupAsync(backup.Id))!.ExpiredAt);
        Assert.Null(await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, old.ContentName!));
        Assert.Null(Storage.Find(Driver, old.SnapshotHandle!));
        Assert.NotNull(Storage.Find(Driver, kept.SnapshotHandle!));
        Assert.Contains(result.Logs, l => l.Contains($"VolumeSnapshotContent {old.ContentName}", StringComparison.Ordinal)
            && l.Contains("set back to deletionPolicy: Delete and deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_SnapshotStillThere_SetsTheContentBackToDelete_ThenDeletesTheSnapshot_AndTheHandleGoes()
    {
        var (backup, old) = await BackUpAsync("ci-1");
        var (_, kept) = await BackUpAsync("ci-2");

        var result = await RetentionSweep.RunAsync(_plane.Context);

        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, old.ContentName!) is null);
        Assert.Null(await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", old.SnapshotName));
        Assert.Null(Storage.Find(Driver, old.SnapshotHandle!));
        Assert.NotNull(Storage.Find(Driver, kept.SnapshotHandle!));
        Assert.Equal("Retain", (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, kept.ContentName!))!.GetString("spec.deletionPolicy"));
        Assert.Contains(result.Logs, l => l.Contains("set back to deletionPolicy: Delete (Strata had set Retain), and the storage snapshot go with it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_ContentNotTheRecordedOne_IsLeftAlone_AndLogged()
    {
        var (backup, old) = await BackUpAsync("ci-1");
        await BackUpAsync("ci-2");
        await _client.DeleteAsync(new ApiResource("", "v1", "namespaces", "Namespace", false, ["delete"]), null, "shop");
        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", old.SnapshotName) is null);
        VolumeSnapshotFakes.ReplaceVolumes(_plane.Store, backup, [old with { SnapshotHandle = "snapshot-someone-elses" }]);

        var result = await RetentionSweep.RunAsync(_plane.Context);

        Assert.NotNull((await _plane.History.FindBackupAsync(backup.Id))!.ExpiredAt);
        Assert.Equal("Retain", (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, old.ContentName!))!.GetString("spec.deletionPolicy"));
        Assert.NotNull(Storage.Find(Driver, old.SnapshotHandle!));
        Assert.Contains(result.Logs, l => l.Contains($"VolumeSnapshotContent {old.ContentName}", StringComparison.Ordinal)
            && l.Contains("left alone (and its storage snapshot with it): its snapshotHandle is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_SnapshotBroughtBackFromItsRetainedData_DeletesItTheContentAndTheHandle()
    {
        var (backup, old) = await BackUpAsync("ci-1");
        var (_, kept) = await BackUpAsync("ci-2");
        var back = await BringBackAsync(old, old.ContentName!, old.SnapshotHandle!);
        Assert.NotEqual(old.SnapshotUid, back);

        var result = await RetentionSweep.RunAsync(_plane.Context);

        Assert.NotNull((await _plane.History.FindBackupAsync(backup.Id))!.ExpiredAt);
        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, old.ContentName!) is null);
        Assert.Null(await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", old.SnapshotName));
        Assert.Null(Storage.Find(Driver, old.SnapshotHandle!));
        Assert.NotNull(Storage.Find(Driver, kept.SnapshotHandle!));
        Assert.Contains(result.Logs, l => l.Contains($"VolumeSnapshot shop/{old.SnapshotName} of claim shop/data deleted; its VolumeSnapshotContent {old.ContentName}, "
            + "set back to deletionPolicy: Delete (Strata had set Retain), and the storage snapshot go with it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_LookAlikeOfTheSameNameBoundToAnotherContent_IsLeftAlone_WithWhatItHolds()
    {
        var (backup, old) = await BackUpAsync("ci-1");
        var (_, kept) = await BackUpAsync("ci-2");
        // Same name, brought back the same way, but from another content: one holding the kept backup's storage snapshot.
        var lookAlike = await BringBackAsync(old, "snapcontent-look-alike", kept.SnapshotHandle!, deleteOld: false);

        var result = await RetentionSweep.RunAsync(_plane.Context);

        Assert.NotNull((await _plane.History.FindBackupAsync(backup.Id))!.ExpiredAt);
        Assert.Equal(lookAlike, (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", old.SnapshotName))!.Uid);
        Assert.NotNull(await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, "snapcontent-look-alike"));
        Assert.NotNull(Storage.Find(Driver, kept.SnapshotHandle!));
        Assert.Contains(result.Logs, l => l.Contains($"VolumeSnapshot shop/{old.SnapshotName} of claim shop/data left alone", StringComparison.Ordinal));
    }

    /// <summary>
    /// Brings the VolumeSnapshot of <paramref name="record"/> back after a deletion, in a way the snapshot controller
    /// binds (it binds a named content only when that content is pre-provisioned, <c>source.snapshotHandle</c>): the
    /// VolumeSnapshot deleted (its content is <c>Retain</c>: it stays, and the storage snapshot), then — unless
    /// <paramref name="deleteOld"/> is false — that dynamic content deleted too, and a pre-provisioned content
    /// <paramref name="content"/> created for <paramref name="handle"/>, with a VolumeSnapshot of the recorded name (no
    /// Strata labels) naming it. Waits until the controller has bound them and the sidecar found the handle; returns the
    /// new VolumeSnapshot's uid.
    /// </summary>
    private async Task<string> BringBackAsync(VolumeSnapshotRecord record, string content, string handle, bool deleteOld = true)
    {
        await _client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName);
        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName) is null);
        Assert.Equal("Retain", (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!))!.GetString("spec.deletionPolicy"));
        if (deleteOld)
        {
            await _client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!);
            await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!) is null);
        }

        await _client.CreateAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = "VolumeSnapshotContent",
            ["metadata"] = new JsonObject { ["name"] = content },
            ["spec"] = new JsonObject
            {
                ["deletionPolicy"] = "Retain",
                ["driver"] = Driver,
                ["source"] = new JsonObject { ["snapshotHandle"] = handle },
                ["volumeSnapshotRef"] = new JsonObject { ["namespace"] = record.Namespace, ["name"] = record.SnapshotName },
            },
        });
        var created = await _client.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = record.SnapshotName, ["namespace"] = record.Namespace },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = content } },
        });
        await UntilAsync(async () => await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName) is { } live
            && SnapshotStatus.IsReady(live) && SnapshotStatus.BoundContent(live) == content);
        Assert.Equal(handle, (await _client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content))!.GetString("status.snapshotHandle"));
        return created.Uid!;
    }

    /// <summary>A backup through the backup worker, the clock moved a day first: its run record, and its manifest's one volume record.</summary>
    private async Task<(BackupRecord Backup, VolumeSnapshotRecord Volume)> BackUpAsync(string id)
    {
        _plane.Clock.Advance(TimeSpan.FromDays(1));
        var request = _plane.Request(id);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var record = (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        Assert.Equal(BackupStatus.Succeeded, record.Status);
        return (record, Assert.Single((await Core.Artifacts.ManifestFile.ReadAsync(_plane.Store, record.Location))!.Volumes!));
    }

    /// <summary>Polls <paramref name="done"/> until it holds (the simulated controllers act after the write returns); fails after 10 s.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the simulated controllers did not get there within 10 s");
            await Task.Delay(20);
        }
    }
}

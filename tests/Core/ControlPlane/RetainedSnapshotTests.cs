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

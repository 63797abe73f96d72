using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Kubernetes;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// Retention and verification of volume snapshots against a sandbox running the simulated CSI snapshot controller and
/// sidecar, over the real client: what deleting Strata's VolumeSnapshot does to the content and the storage snapshot
/// under each deletion policy, and the live check reading real VolumeSnapshots.
/// </summary>
public sealed class VolumeSnapshotSandboxTests : IAsyncLifetime
{
    private const string Driver = "disk.csi.azure.com";

    private readonly SnapshotBackend _storage = new();
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create("""
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
            retention: { keepLast: 1, minVerifiedKept: 1 }
        """);

    private SandboxApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { Backend = _storage } } });
        _server.CreateNamespace("shop");
        VolumeSnapshotCrds.Install(_server);
        _server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        _server.Create(StorageObjects.VolumeSnapshotClass("csi-delete", Driver, "Delete", isDefault: true));
        _server.Create(StorageObjects.VolumeSnapshotClass("csi-retain", Driver, "Retain"));
        _server.Create(StorageObjects.Claim("shop", "data", "managed-csi", "5Gi"));
        _server.Create(StorageObjects.Claim("shop", "logs", "managed-csi", "1Gi"));
        _client = new KubernetesClient(Kubeconfig.Parse(_server.Kubeconfig("prod"), "test kubeconfig").Resolve());
        _plane.Clusters.Clusters["prod"] = _client;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Retention_DeletePolicy_ContentAndStorageSnapshotGo_RetainPolicy_TheyStay()
    {
        var old = await BackUpAsync("ci-1");
        var deleted = await SnapshotAsync(old, "data", "csi-delete");
        var retained = await SnapshotAsync(old, "logs", "csi-retain");
        VolumeSnapshotFakes.AddToBackup(_plane.Store, old, [deleted, retained]);
        await BackUpAsync("ci-2");

        var result = await RetentionSweep.RunAsync(_plane.Context);

        Assert.NotNull((await _plane.History.FindBackupAsync(old.Id))!.ExpiredAt);
        await UntilAsync(async () => await GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", deleted.Record.SnapshotName) is null
            && await GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, deleted.Record.ContentName!) is null
            && await GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", retained.Record.SnapshotName) is null);
        Assert.Null(_storage.Find(Driver, deleted.Record.SnapshotHandle!));
        Assert.NotNull(await GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, retained.Record.ContentName!));
        Assert.NotNull(_storage.Find(Driver, retained.Record.SnapshotHandle!));
        Assert.Contains(result.Logs, l => l.Contains("of claim shop/logs deleted; its VolumeSnapshotContent", StringComparison.Ordinal) && l.Contains("(deletionPolicy: Retain)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verification_RealSnapshot_ReadyPasses_DeletedFails()
    {
        var backup = await BackUpAsync("ci-1");
        var taken = await SnapshotAsync(backup, "data", "csi-delete");
        // Retain, as the volumes layer leaves the content: a record that is not is a failure of its own.
        var content = await _client.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, taken.Record.ContentName!,
            new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Retain" } });
        var snapshot = taken with { Record = taken.Record with { DeletionPolicy = "Retain", OriginalDeletionPolicy = "Delete" }, Content = content.Json };
        VolumeSnapshotFakes.AddToBackup(_plane.Store, backup, [snapshot]);

        var sound = await VerifyAsync(backup);
        await _client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot.Record.SnapshotName);
        await _client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!);
        await UntilAsync(async () => await GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot.Record.SnapshotName) is null
            && await GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.Record.ContentName!) is null);
        var gone = await VerifyAsync(backup);

        Assert.Equal(BackupStatus.Verified, sound.Status);
        Assert.Empty(sound.Verification!.Findings);
        Assert.Equal(BackupStatus.VerificationFailed, gone.Status);
        var error = Assert.Single(gone.Verification!.Errors);
        Assert.Equal("snapshot", error.Check);
        Assert.Contains("of claim shop/data no longer exists", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A backup of the sandbox through the backup worker, the clock moved a day first.</summary>
    private async Task<BackupRecord> BackUpAsync(string id)
    {
        _plane.Clock.Advance(TimeSpan.FromDays(1));
        var request = _plane.Request(id);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        return (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    /// <summary>A VolumeSnapshot of <paramref name="claim"/> labelled as Strata labels its own, once the simulated controller has made it ready; and its record.</summary>
    private async Task<TakenSnapshot> SnapshotAsync(BackupRecord backup, string claim, string className)
    {
        var name = $"{claim}-{backup.Id}";
        var body = StorageObjects.VolumeSnapshot("shop", name, claim, className);
        body["metadata"]!["labels"] = new JsonObject { [StrataLabels.BackupId] = backup.Id, [StrataLabels.ManagedBy] = StrataLabels.Manager };
        await _client.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", body);
        KubeObject? snapshot = null;
        await UntilAsync(async () => (snapshot = await GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", name))?.Json["status"]?["readyToUse"]?.GetValue<bool>() == true);
        var content = (await GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot!.GetString("status.boundVolumeSnapshotContentName")!))!;
        var record = new VolumeSnapshotRecord
        {
            Namespace = "shop",
            Claim = claim,
            Path = ArtifactLayout.VolumeRecordPath("shop", claim),
            Driver = Driver,
            VolumeSnapshotClass = className,
            SnapshotName = name,
            SnapshotUid = snapshot.Uid,
            ContentName = content.Name,
            SnapshotHandle = content.GetString("status.snapshotHandle"),
            DeletionPolicy = content.GetString("spec.deletionPolicy"),
            ReadyToUse = true,
        };
        return new TakenSnapshot(record, snapshot.Json, content.Json);
    }

    private async Task<BackupRecord> VerifyAsync(BackupRecord record)
    {
        var request = new Envelope($"verify-{record.Id}-{Guid.NewGuid():N}", "ci", _plane.Clock.GetUtcNow(), new VerifyRequested(record.Id, record.Cluster, record.Policy));
        var result = await VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        Assert.Null(result.Rejection);
        return (await _plane.History.FindBackupAsync(record.Id))!;
    }

    private Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name) => _client.GetAsync(resource, ns, name);

    /// <summary>Polls <paramref name="done"/> until it holds (the simulated controllers act after the write returns); fails after 10 s.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the simulated snapshot controller did not get there within 10 s");
            await Task.Delay(20);
        }
    }
}

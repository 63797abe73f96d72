using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Serialization;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Volumes;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata backup verify</c> of a backup with a volume snapshot (the snapshot taken in the "prod" sandbox by its
/// simulated CSI snapshot controller, its record added to the backup as the volumes layer writes it): with
/// <c>--config</c> the VolumeSnapshot is checked in its cluster; without, the report says it was not.
/// </summary>
public sealed class VolumeVerificationCommandTests : IAsyncLifetime
{
    private ControlPlaneWorld _world = null!;
    private KubernetesClient _prod = null!;

    public async Task InitializeAsync()
    {
        _world = await ControlPlaneWorld.StartAsync(prodOptions: new SandboxOptions { Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots() } });
        VolumeSnapshotCrds.Install(_world.Prod);
        _world.Prod.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", "disk.csi.azure.com", isDefault: true));
        _prod = new KubernetesClient(Kubeconfig.Parse(_world.Prod.Kubeconfig("prod"), "test kubeconfig").Resolve());
    }

    public async Task DisposeAsync()
    {
        _prod.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Verify_WithConfig_ChecksTheSnapshotInItsCluster_GoneFailsNamingTheClaim()
    {
        var (id, snapshot) = await BackUpWithSnapshotAsync();

        var (soundCode, sound, soundError) = await RunAsync("backup", "verify", id, "--store", _world.Store, "--config", _world.ConfigPath, "-o", "json");
        await DeleteAsync(snapshot);
        var (goneCode, gone, _) = await RunAsync("backup", "verify", id, "--store", _world.Store, "--config", _world.ConfigPath, "-o", "json");

        Assert.True(soundCode == 0, soundError);
        Assert.Empty(JsonNode.Parse(sound)!["verification"]!["findings"]!.AsArray());
        Assert.Equal(1, goneCode);
        var run = JsonNode.Parse(gone)!;
        Assert.Equal("VerificationFailed", run["status"]!.GetValue<string>());
        var finding = Assert.Single(run["verification"]!["findings"]!.AsArray())!;
        Assert.Equal(("snapshot", "volumes/shop/data.json"), (finding["check"]!.GetValue<string>(), finding["artifact"]!.GetValue<string>()));
        Assert.StartsWith($"VolumeSnapshot shop/{snapshot} of claim shop/data no longer exists", finding["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_WithoutConfig_VerifiedBefore_StaysVerified_WarningTheSnapshotWasNotChecked()
    {
        var (id, _) = await BackUpWithSnapshotAsync();

        var (code, output, error) = await RunAsync("backup", "verify", id, "--store", _world.Store, "-o", "json");

        Assert.True(code == 0, error);
        var run = JsonNode.Parse(output)!;
        Assert.Equal("Verified", run["status"]!.GetValue<string>());
        Assert.Equal(1, run["verification"]!["uncheckedSnapshots"]!.GetValue<int>());
        var warning = Assert.Single(run["verification"]!["findings"]!.AsArray())!;
        Assert.Equal(("Warning", "snapshot"), (warning["severity"]!.GetValue<string>(), warning["check"]!.GetValue<string>()));
        Assert.StartsWith("1 volume snapshot was not checked against cluster prod: no cluster connection", warning["message"]!.GetValue<string>());
        Assert.Contains($"{id} stays Verified (from an earlier verification): 1 volume snapshot was not checked this time (pass --config)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithoutConfig_AfterItFailedOnAGoneSnapshot_StaysVerificationFailed_NotVerified_Exit1()
    {
        var (id, snapshot) = await BackUpWithSnapshotAsync();
        await DeleteAsync(snapshot);
        var (failedCode, _, _) = await RunAsync("backup", "verify", id, "--store", _world.Store, "--config", _world.ConfigPath);

        var (code, output, error) = await RunAsync("backup", "verify", id, "--store", _world.Store);
        var (_, described, _) = await RunAsync("backup", "describe", id, "--store", _world.Store, "-o", "json");

        Assert.Equal((1, 1), (failedCode, code));
        Assert.Contains($"not verified: 1 volume snapshot was not checked (pass --config); {id} stays VerificationFailed", error, StringComparison.Ordinal);
        Assert.Contains("Not verified: 1 volume snapshot was not checked (pass --config)", output, StringComparison.Ordinal);
        Assert.Equal("VerificationFailed", JsonNode.Parse(described)!["status"]!.GetValue<string>());
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// <c>strata backup create --policy</c> of prod, then a ready VolumeSnapshot of <c>shop/data</c> labelled as Strata's,
    /// and its record added to the backup's manifest and folder; returns the backup id and the snapshot's name.
    /// </summary>
    private async Task<(string Id, string Snapshot)> BackUpWithSnapshotAsync()
    {
        var (code, created, error) = await RunAsync("backup", "create", "--config", _world.ConfigPath, "--policy", "minutely", "--cluster", "prod", "--store", _world.Store, "-o", "json");
        Assert.True(code == 0, error);
        var id = JsonNode.Parse(created)!["id"]!.GetValue<string>();
        var name = $"data-{id}";
        var body = StorageObjects.VolumeSnapshot("shop", name, "data");
        body["metadata"]!["labels"] = new JsonObject { [StrataLabels.BackupId] = id, [StrataLabels.ManagedBy] = StrataLabels.Manager };
        await _prod.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", body);
        var snapshot = await ReadyAsync(name);
        // Retain, as the volumes layer leaves the content (its class says Delete).
        var content = await _prod.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, snapshot.GetString("status.boundVolumeSnapshotContentName")!,
            new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Retain" } });
        var record = new VolumeSnapshotRecord
        {
            Namespace = "shop",
            Claim = "data",
            Path = ArtifactLayout.VolumeRecordPath("shop", "data"),
            SnapshotName = name,
            SnapshotUid = snapshot.Uid,
            ContentName = content.Name,
            SnapshotHandle = content.GetString("status.snapshotHandle"),
            DeletionPolicy = content.GetString("spec.deletionPolicy"),
            ReadyToUse = true,
        };

        var manifestPath = Directory.GetFiles(Path.Combine(_world.Store, "backups"), "manifest.json", SearchOption.AllDirectories).Single();
        var folder = Path.GetDirectoryName(manifestPath)!;
        var artifact = JsonSerializer.SerializeToUtf8Bytes(new VolumeSnapshotArtifact(record, null, snapshot.Json, content.Json), StrataJson.Default.VolumeSnapshotArtifact);
        Directory.CreateDirectory(Path.Combine(folder, "volumes", "shop"));
        await File.WriteAllBytesAsync(Path.Combine(folder, record.Path), artifact);
        var manifest = ManifestFile.Read(await File.ReadAllBytesAsync(manifestPath), manifestPath);
        File.SetAttributes(manifestPath, FileAttributes.Normal);
        await File.WriteAllBytesAsync(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest with
        {
            Artifacts = [.. manifest.Artifacts, new ArtifactEntry(record.Path, artifact.Length, Convert.ToHexStringLower(SHA256.HashData(artifact)))],
            Volumes = [record],
        }, StrataJson.Default.BackupManifest));
        return (id, name);
    }

    /// <summary>Deletes the VolumeSnapshot and its (retained) content, and waits until both are gone: the backup's volume data is lost.</summary>
    private async Task DeleteAsync(string snapshot)
    {
        var content = (await _prod.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot))!.GetString("status.boundVolumeSnapshotContentName")!;
        await _prod.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot);
        await _prod.DeleteAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content);
        await UntilAsync(async () => await _prod.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", snapshot) is null // the controller's finalizers go first
            && await _prod.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content) is null);
    }

    private async Task<KubeObject> ReadyAsync(string name)
    {
        KubeObject? snapshot = null;
        await UntilAsync(async () => (snapshot = await _prod.GetAsync(VolumeSnapshotApi.VolumeSnapshots, "shop", name))?.Json["status"]?["readyToUse"]?.GetValue<bool>() == true);
        return snapshot!;
    }

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

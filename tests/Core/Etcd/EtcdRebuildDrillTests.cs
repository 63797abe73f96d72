using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Etcd;

/// <summary>The rebuild drill on a rehearsal host without processes: what it reads, when it rebuilds, what it compares, and what it always removes.</summary>
public sealed class EtcdRebuildDrillTests
{
    private static readonly Dictionary<string, long> Objects = new() { ["pods"] = 3, ["services"] = 1, ["deployments.apps"] = 1 };

    private static readonly string[] Keys =
    [
        "/registry/pods/shop/a", "/registry/pods/shop/b", "/registry/pods/shop/c",
        "/registry/services/specs/shop/web", "/registry/deployments/shop/web", "/registry/minions/node-1", "/registry/ranges/serviceips",
    ];

    private readonly MemoryArtifactStore _store = new();
    private readonly FakeRehearsals _rehearsals = new();
    private readonly byte[] _snapshot = BoltSnapshots.Build(fillerPages: 2, seed: Random.Shared.Next());

    [Fact]
    public async Task RunAsync_Rebuilds_CountsTheKeys_Passes_WithTheRto()
    {
        _rehearsals.Keys.AddRange(Keys);
        var (manifest, prefix) = await BackUpAsync();

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.Equal((EtcdDrillScope.Rebuild, "etcdutl 3.5.12", 7L), (result.Scope, result.RestoreTool, result.Keys));
        Assert.True(result.Passed, string.Join("; ", result.Problems));
        Assert.Equal(_snapshot, Assert.Single(_rehearsals.Rebuilt));
        Assert.Equal(
            [("deployments.apps", 1L, (long?)1L), ("pods", 3, 3), ("services", 1, 1), ("nodes", 1, null)],
            result.Resources.Select(r => (r.Resource, r.Keys, r.Objects)));
        Assert.Equal((1.5, 0.5), (result.RestoreSeconds, result.StartSeconds));
        Assert.Equal(result.DownloadSeconds!.Value + 1.5 + 0.5 + result.CheckSeconds!.Value, result.RtoSeconds!.Value, 9);
        Assert.Equal(1, _rehearsals.Disposed);
        Assert.True(Assert.Single(_rehearsals.Files).Deleted);
    }

    [Fact]
    public async Task RunAsync_AResourceWithoutItsKeys_Fails_NamingIt()
    {
        _rehearsals.Keys.AddRange(Keys.Where(k => !k.StartsWith("/registry/deployments/", StringComparison.Ordinal)));
        var (manifest, prefix) = await BackUpAsync();

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.False(result.Passed);
        Assert.Equal("deployments.apps: the backup holds 1 object, but the rebuilt etcd has no key under /registry/deployments/", Assert.Single(result.Problems));
        Assert.Null(result.RtoSeconds);
        Assert.Equal(1, _rehearsals.Disposed);
    }

    [Fact]
    public async Task RunAsync_RehearsalsUnavailable_ChecksIntegrityOnly_AndSaysWhy()
    {
        _rehearsals.Unavailable = "etcd is not on this runner (looked in /usr/bin)";
        var (manifest, prefix) = await BackUpAsync();

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.Equal((EtcdDrillScope.IntegrityOnly, "etcd is not on this runner (looked in /usr/bin)", true), (result.Scope, result.IntegrityOnlyBecause, result.Passed));
        Assert.Null(result.RtoSeconds);
        Assert.NotNull(result.DownloadSeconds);
        Assert.Empty(_rehearsals.Files);
        Assert.Empty(_rehearsals.Rebuilt);
    }

    [Fact]
    public async Task RunAsync_FlippedByte_FailsAtIntegrity_WithoutRebuilding_AndDeletesTheFile()
    {
        _rehearsals.Keys.AddRange(Keys);
        var (manifest, prefix) = await BackUpAsync();
        var key = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath);
        var damaged = _store.Artifacts[key].ToArray();
        damaged[3 * 4096 + 100] ^= 0x01;
        _store.Artifacts[key] = damaged;

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("the snapshot etcd/snapshot.db fails its integrity check: etcd's SHA-256 at the end of the snapshot", problem, StringComparison.Ordinal);
        Assert.Empty(_rehearsals.Rebuilt);
        Assert.True(Assert.Single(_rehearsals.Files).Deleted);
    }

    [Fact]
    public async Task RunAsync_IntactSnapshotOtherThanTheManifestRecords_Fails()
    {
        var (manifest, prefix) = await BackUpAsync();
        var other = BoltSnapshots.Build(fillerPages: 2, seed: Random.Shared.Next());
        _store.Artifacts[ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath)] = other;

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.Equal($"the snapshot etcd/snapshot.db has SHA-256 {EtcdBackups.Sha256(other)}, but the manifest says {EtcdBackups.Sha256(_snapshot)}", Assert.Single(result.Problems));
        Assert.Empty(_rehearsals.Rebuilt);
    }

    [Fact]
    public async Task RunAsync_RestoreFails_ReportsTheToolsWordsAndTheSnapshotsEtcdVersion()
    {
        _rehearsals.RestoreFailure = new EtcdRehearsalException("etcdctl snapshot restore failed: Error: expected sha256 [1 2], got [3 4] (exit 1)");
        var (manifest, prefix) = await BackUpAsync();

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.Equal(
            "the rebuild failed: etcdctl snapshot restore failed: Error: expected sha256 [1 2], got [3 4] (exit 1) "
            + "(the snapshot was taken from etcd 3.5.12: the runner's etcd must be that minor version or newer)", Assert.Single(result.Problems));
        Assert.True(Assert.Single(_rehearsals.Files).Deleted);
    }

    [Fact]
    public async Task RunAsync_BackupWithoutSnapshot_SaysSo()
    {
        var (manifest, prefix) = await BackUpAsync();

        var none = await Drill().RunAsync(manifest with { Etcd = null }, prefix, "strata-drill-abc123");
        var managed = await Drill().RunAsync(manifest with { Etcd = new EtcdLayerRecord { NotApplicable = "managed control plane (AKS)" } }, prefix, "strata-drill-abc123");

        Assert.Equal("backup 20261121-023000-0000aa has no etcd snapshot: its policy has no etcd layer", Assert.Single(none.Problems));
        Assert.Equal("backup 20261121-023000-0000aa has no etcd snapshot: managed control plane (AKS)", Assert.Single(managed.Problems));
    }

    [Fact]
    public async Task RunAsync_SnapshotMissingFromTheStore_Fails()
    {
        var (manifest, prefix) = await BackUpAsync();
        _store.Artifacts.Remove(ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath));

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.Equal("the snapshot etcd/snapshot.db is not in the store", Assert.Single(result.Problems));
    }

    [Fact]
    public async Task RunAsync_RebuiltEtcdWithoutAnyKey_Fails_EvenWhenTheBackupCountedNothing()
    {
        var manifest = EtcdBackups.Manifest("20261121-023000-0000aa", _snapshot, new Dictionary<string, long>());
        var prefix = await EtcdBackups.StoreAsync(_store, manifest, _snapshot);

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.False(result.Passed);
        Assert.Equal(
            "the rebuilt etcd has no key under /registry/: the snapshot holds no Kubernetes objects (not the cluster's etcd, or its API server stores under another --etcd-prefix)",
            Assert.Single(result.Problems));
        Assert.Equal((0L, (double?)null), (result.Keys, result.RtoSeconds));
        Assert.Equal(1, _rehearsals.Disposed);
    }

    [Fact]
    public async Task RunAsync_ResourcesOfAnAggregatedApi_NoKeysInEtcd_Pass_WithANote()
    {
        _rehearsals.Keys.AddRange([.. Keys, .. ApiServiceKeys]);
        var (manifest, prefix) = await BackUpWithApiServicesAsync(aggregated: true);

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.True(result.Passed, string.Join("; ", result.Problems));
        var olm = Assert.Single(result.Resources, r => r.Resource == "packagemanifests.packages.operators.coreos.com");
        Assert.Equal((0L, (long?)212L, (string?)null, "served by an aggregated API server: not stored in this etcd"), (olm.Keys, olm.Objects, olm.Problem, olm.Note));
        Assert.NotNull(result.RtoSeconds);
    }

    [Fact]
    public async Task RunAsync_ApiServiceServedLocally_ItsResourcesAreStillHeldToTheirKeys()
    {
        _rehearsals.Keys.AddRange([.. Keys, .. ApiServiceKeys]);
        var (manifest, prefix) = await BackUpWithApiServicesAsync(aggregated: false);

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.StartsWith("packagemanifests.packages.operators.coreos.com: the backup holds 212 objects, but the rebuilt etcd has no key", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ObjectArchiveRecordedButMissing_Fails_SayingSo()
    {
        _rehearsals.Keys.AddRange([.. Keys, .. ApiServiceKeys]);
        var (manifest, prefix) = await BackUpWithApiServicesAsync(aggregated: true);
        _store.Artifacts.Remove(ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.ResourcesArchive));

        var result = await Drill().RunAsync(manifest, prefix, "strata-drill-abc123");

        Assert.StartsWith("the backup's objects (resources.tar.gz) could not be read for the API groups aggregated API servers serve: ", Assert.Single(result.Problems), StringComparison.Ordinal);
        Assert.Empty(_rehearsals.Rebuilt);
        Assert.True(Assert.Single(_rehearsals.Files).Deleted);
    }

    private static readonly string[] ApiServiceKeys =
    [
        "/registry/apiregistration.k8s.io/apiservices/v1.apps",
        "/registry/apiregistration.k8s.io/apiservices/v1.packages.operators.coreos.com",
    ];

    /// <summary>
    /// A backup whose objects hold OLM's packagemanifests (212) and two APIServices, v1.apps (local) and
    /// v1.packages.operators.coreos.com — handed to OLM's packageserver when <paramref name="aggregated"/>.
    /// </summary>
    private async Task<(BackupManifest Manifest, string Prefix)> BackUpWithApiServicesAsync(bool aggregated)
    {
        var objects = new Dictionary<string, long>(Objects)
        {
            ["apiservices.apiregistration.k8s.io"] = 2,
            ["packagemanifests.packages.operators.coreos.com"] = 212,
        };
        var manifest = EtcdBackups.Manifest("20261121-023000-0000aa", _snapshot, objects);
        var prefix = ArtifactLayout.BackupPrefix(manifest.Cluster, manifest.Policy, manifest.BackupId);
        ArtifactEntry archive;
        await using (var upload = await _store.CreateAsync(ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.ResourcesArchive)))
        {
            await using (var writer = new ResourceArchiveWriter(upload.Content, manifest.StartedAt))
            {
                await writer.WriteEntryAsync("resources/apiregistration.k8s.io/v1/apiservices/v1.apps.json", ApiService("apps", null));
                await writer.WriteEntryAsync("resources/apiregistration.k8s.io/v1/apiservices/v1.packages.operators.coreos.com.json",
                    ApiService("packages.operators.coreos.com", aggregated ? new JsonObject { ["namespace"] = "olm", ["name"] = "packageserver-service", ["port"] = 5443 } : null));
                await writer.WriteEntryAsync("resources/core/v1/pods/namespaces/shop/a.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\"}}"u8.ToArray());
                archive = await writer.CompleteAsync(ArtifactLayout.ResourcesArchive);
            }

            await upload.CommitAsync();
        }

        manifest = manifest with { Artifacts = [.. manifest.Artifacts, archive] };
        return (manifest, await EtcdBackups.StoreAsync(_store, manifest, _snapshot));
    }

    private static byte[] ApiService(string group, JsonObject? service) => System.Text.Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "apiregistration.k8s.io/v1",
        ["kind"] = "APIService",
        ["metadata"] = new JsonObject { ["name"] = $"v1.{group}" },
        ["spec"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["service"] = service, ["groupPriorityMinimum"] = 1000, ["versionPriority"] = 15 },
    }.ToJsonString());

    private EtcdRebuildDrill Drill() => new(_store, _rehearsals, _rehearsals, TimeProvider.System);

    private async Task<(BackupManifest Manifest, string Prefix)> BackUpAsync()
    {
        var manifest = EtcdBackups.Manifest("20261121-023000-0000aa", _snapshot, Objects);
        return (manifest, await EtcdBackups.StoreAsync(_store, manifest, _snapshot));
    }
}

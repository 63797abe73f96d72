using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Volumes;
using Strata.TestKit.CloudNativePg;
using Strata.TestKit.Fakes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>One snapshot as the volumes layer leaves it: the manifest's record, and the objects it captured.</summary>
internal sealed record TakenSnapshot(VolumeSnapshotRecord Record, JsonObject VolumeSnapshot, JsonObject Content)
{
    /// <summary>The VolumeSnapshot's key in a <see cref="RecordingCluster"/>.</summary>
    public string Key => RecordingCluster.Key(VolumeSnapshotApi.VolumeSnapshots.QualifiedName, Record.Namespace, Record.SnapshotName);

    /// <summary>The content's key in a <see cref="RecordingCluster"/>.</summary>
    public string ContentKey => RecordingCluster.Key(VolumeSnapshotApi.VolumeSnapshotContents.QualifiedName, null, Record.ContentName!);
}

/// <summary>
/// VolumeSnapshots in a <see cref="RecordingCluster"/> and in a backup, standing in for the volumes layer (whose capture
/// is written elsewhere): the snapshot API served, a snapshot taken as Strata labels it, ready and bound, and its
/// record and artifact added to a committed backup's manifest and store.
/// </summary>
internal static class VolumeSnapshotFakes
{
    /// <summary>Serves the snapshot API in <paramref name="cluster"/>: the published CRDs the sandbox tests install (<see cref="VolumeSnapshotCrds"/>).</summary>
    public static async Task ServeSnapshotApiAsync(RecordingCluster cluster)
    {
        var crds = RecordingCluster.BuiltIn.Single(r => r.Name == "customresourcedefinitions");
        foreach (var file in VolumeSnapshotCrds.Files)
        {
            foreach (var crd in YamlJson.Documents(File.ReadAllText(Path.Combine(VolumeSnapshotCrds.Folder, file))))
            {
                await cluster.CreateAsync(crds, null, crd);
            }
        }
    }

    /// <summary>
    /// A snapshot of claim <paramref name="ns"/>/<paramref name="claim"/> for backup <paramref name="backupId"/>: the
    /// VolumeSnapshot (labelled as Strata labels its own unless <paramref name="labels"/> says otherwise), ready and bound
    /// to a VolumeSnapshotContent with <paramref name="deletionPolicy"/>, and the record the manifest holds of them.
    /// </summary>
    public static async Task<TakenSnapshot> TakeAsync(
        RecordingCluster cluster, string backupId, string claim, string ns = "shop", string deletionPolicy = "Delete", JsonObject? labels = null)
    {
        var name = $"{claim}-{backupId}";
        var content = $"snapcontent-{Guid.NewGuid()}";
        var handle = $"snap-{Guid.NewGuid():N}";
        var snapshot = await cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, ns, new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels ?? new JsonObject { [StrataLabels.BackupId] = backupId, [StrataLabels.Policy] = "nightly", [StrataLabels.ManagedBy] = StrataLabels.Manager },
                ["annotations"] = new JsonObject { [VolumeSnapshotApi.ClaimAnnotation] = claim },
            },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claim }, ["volumeSnapshotClassName"] = "csi-snapclass" },
            ["status"] = new JsonObject { ["boundVolumeSnapshotContentName"] = content, ["readyToUse"] = true, ["restoreSize"] = "1Gi" },
        });
        var bound = await cluster.CreateAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = "VolumeSnapshotContent",
            ["metadata"] = new JsonObject { ["name"] = content },
            ["spec"] = new JsonObject
            {
                ["deletionPolicy"] = deletionPolicy,
                ["driver"] = "hostpath.csi.k8s.io",
                ["volumeSnapshotRef"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = snapshot.Uid },
            },
            ["status"] = new JsonObject { ["snapshotHandle"] = handle, ["readyToUse"] = true, ["restoreSize"] = 1L << 30 },
        });
        var record = new VolumeSnapshotRecord
        {
            Namespace = ns,
            Claim = claim,
            Path = ArtifactLayout.VolumeRecordPath(ns, claim),
            Driver = "hostpath.csi.k8s.io",
            VolumeSnapshotClass = "csi-snapclass",
            SnapshotName = name,
            SnapshotUid = snapshot.Uid,
            ContentName = content,
            SnapshotHandle = handle,
            DeletionPolicy = deletionPolicy,
            ReadyToUse = true,
        };
        return new TakenSnapshot(record, snapshot.Json, bound.Json);
    }

    /// <summary>The artifact <c>volumes/{ns}/{pvc}.json</c> of <paramref name="snapshot"/>, as the volumes layer writes it.</summary>
    public static byte[] Artifact(TakenSnapshot snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(new VolumeSnapshotArtifact(snapshot.Record, null, snapshot.VolumeSnapshot, snapshot.Content), StrataJson.Default.VolumeSnapshotArtifact);

    /// <summary>
    /// Adds <paramref name="snapshots"/> to <paramref name="backup"/>: their records to its manifest, their artifacts
    /// (<paramref name="artifact"/>'s bytes when given, else <see cref="Artifact"/>) to the store and the manifest's list,
    /// with sizes and hashes as stored.
    /// </summary>
    public static void AddToBackup(MemoryArtifactStore store, BackupRecord backup, IReadOnlyList<TakenSnapshot> snapshots, Func<TakenSnapshot, byte[]>? artifact = null)
    {
        var entries = new List<ArtifactEntry>();
        foreach (var snapshot in snapshots)
        {
            var bytes = (artifact ?? Artifact)(snapshot);
            store.Artifacts[backup.Location + snapshot.Record.Path] = bytes;
            entries.Add(new ArtifactEntry(snapshot.Record.Path!, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        var key = backup.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(store.Artifacts[key], key);
        store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(
            manifest with { Artifacts = [.. manifest.Artifacts, .. entries], Volumes = [.. manifest.Volumes ?? [], .. snapshots.Select(s => s.Record)] },
            StrataJson.Default.BackupManifest);
    }

    /// <summary>Replaces the volume records of <paramref name="backup"/>'s manifest with <paramref name="records"/> (a manifest that names other objects than the cluster has).</summary>
    public static void ReplaceVolumes(MemoryArtifactStore store, BackupRecord backup, IReadOnlyList<VolumeSnapshotRecord> records)
    {
        var key = backup.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(store.Artifacts[key], key);
        store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(manifest with { Volumes = records }, StrataJson.Default.BackupManifest);
    }
}

using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Volumes;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The VolumeSnapshots that go with the backups retention expires on one cluster. Only Strata's own are deleted: the
/// object under a recorded name must carry the backup's id (<see cref="StrataLabels.BackupId"/>) and Strata's
/// <see cref="StrataLabels.ManagedBy"/> label, and the recorded uid when there is one — anything else found there
/// (someone else's object, one deleted and created again) is left alone and logged. Deleting a VolumeSnapshot deletes
/// only that object: its content and the storage snapshot follow it when the content's <c>deletionPolicy</c> is
/// <c>Delete</c>, and stay when it is <c>Retain</c>. The cluster is connected on first need (only backups with volume
/// records need it); once it could not be reached, the sweep's other backups there are kept without trying again,
/// rather than each waiting out the client's retries.
/// </summary>
internal sealed class SnapshotRetention(ControlPlaneContext context, string cluster, FunctionResult result, string label)
{
    private IClusterWriter? _client;
    private string? _unreachable;

    /// <summary>
    /// The snapshot records of <paramref name="backup"/> (whose artifacts are <paramref name="keys"/>): the
    /// manifest's; when it is gone (an earlier sweep deleted it and then failed) or unreadable, those of the
    /// <c>volumes/</c> artifacts, so a retry still finds the snapshots.
    /// </summary>
    public async Task<IReadOnlyList<VolumeSnapshotRecord>> RecordsAsync(
        IArtifactStore store, BackupRecord backup, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        try
        {
            if (await ManifestFile.ReadAsync(store, backup.Location, cancellationToken) is { } manifest)
            {
                return Distinct(manifest.Volumes ?? []);
            }
        }
        catch (InvalidDataException e)
        {
            result.Log($"{label}: {backup.Id}: {e.Message}; its snapshots are read from its {ArtifactLayout.VolumesFolder} records");
        }

        var records = new List<VolumeSnapshotRecord>();
        var folder = ArtifactLayout.ArtifactKey(backup.Location, ArtifactLayout.VolumesFolder);
        foreach (var key in keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)))
        {
            try
            {
                await using var stream = await store.OpenReadAsync(key, cancellationToken);
                if (await JsonSerializer.DeserializeAsync(stream, StrataJson.Default.VolumeSnapshotArtifact, cancellationToken) is { Record: { } record })
                {
                    records.Add(record);
                }
            }
            catch (JsonException e)
            {
                // What it names cannot be known, so nothing is deleted for it: a snapshot left behind, never a wrong one deleted.
                result.Log($"{label}: {backup.Id}: {key} is not a volume snapshot record ({e.Message}); whatever snapshot it named is left alone");
            }
        }

        return Distinct(records);
    }

    /// <summary>
    /// Of the VolumeSnapshots <paramref name="records"/> name, those that are <paramref name="backup"/>'s own, read before
    /// anything of the backup is deleted. Throws <see cref="ClusterRequestException"/> when the cluster cannot be read.
    /// </summary>
    public async Task<IReadOnlyList<VolumeSnapshotRecord>> OwnedAsync(BackupRecord backup, IReadOnlyList<VolumeSnapshotRecord> records, CancellationToken cancellationToken)
    {
        var owned = new List<VolumeSnapshotRecord>();
        foreach (var record in records)
        {
            var live = await CallAsync(record, "read", (client, ct) => client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, ct), cancellationToken);
            if (live is null)
            {
                result.Log($"{label}: {backup.Id}: {Describe(record)} is already gone");
            }
            else if (Foreign(backup, record, live) is { } why)
            {
                result.Log($"{label}: {backup.Id}: {Describe(record)} left alone: {why}");
            }
            else
            {
                owned.Add(record);
            }
        }

        return owned;
    }

    /// <summary>Deletes <paramref name="owned"/> (one gone meanwhile is fine); <see cref="ClusterRequestException"/> when a delete fails.</summary>
    public async Task DeleteAsync(BackupRecord backup, IReadOnlyList<VolumeSnapshotRecord> owned, CancellationToken cancellationToken)
    {
        foreach (var record in owned)
        {
            var deleted = await CallAsync(record, "deleted", (client, ct) => client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, ct), cancellationToken);
            result.Log($"{label}: {backup.Id}: {Describe(record)} " + (deleted ? "deleted" + Consequence(record) : "was already gone"));
        }
    }

    /// <summary>Why the live object is not the backup's to delete, or null when it is.</summary>
    private static string? Foreign(BackupRecord backup, VolumeSnapshotRecord record, KubeObject live) =>
        live.Label(StrataLabels.BackupId) is var id && id != backup.Id
            ? $"it is not labelled {StrataLabels.BackupId}={backup.Id} (found {id ?? "no such label"}): not this backup's"
        : live.Label(StrataLabels.ManagedBy) is var manager && manager != StrataLabels.Manager
            ? $"it is not labelled {StrataLabels.ManagedBy}={StrataLabels.Manager} (found {manager ?? "no such label"}): not Strata's"
        : record.SnapshotUid is { } uid && live.Uid != uid
            ? $"it is not the object the backup created (uid {live.Uid ?? "none"}, recorded {uid}): it was created again since"
        : null;

    /// <summary>What deleting the VolumeSnapshot did to the storage snapshot, by the content's deletion policy as recorded.</summary>
    private static string Consequence(VolumeSnapshotRecord record) => record.DeletionPolicy switch
    {
        "Delete" => $"; its VolumeSnapshotContent{Content(record)} and the storage snapshot go with it (deletionPolicy: Delete)",
        "Retain" => $"; its VolumeSnapshotContent{Content(record)} and the storage snapshot stay (deletionPolicy: Retain): delete them in the storage system when they are no longer wanted",
        _ => "",
    };

    private static string Content(VolumeSnapshotRecord record) => record.ContentName is { } name ? " " + name : "";

    private static string Describe(VolumeSnapshotRecord record) => $"VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified}";

    private static List<VolumeSnapshotRecord> Distinct(IEnumerable<VolumeSnapshotRecord> records) =>
        records.DistinctBy(r => (r.Namespace, r.SnapshotName)).ToList();

    /// <summary>One call to the cluster, connecting first if need be; a cluster that did not answer is remembered for the rest of the sweep.</summary>
    private async Task<T> CallAsync<T>(VolumeSnapshotRecord record, string done, Func<IClusterWriter, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (_unreachable is { } earlier)
        {
            throw new ClusterRequestException($"cluster {cluster} could not be reached earlier in this sweep: {earlier}", 0, "Unreachable", isTransient: true);
        }

        if (_client is null)
        {
            try
            {
                _client = await context.ConnectAsync(cluster, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever the connector could not do (resolve a credential, read a kubeconfig), the cluster was not reached.
                _unreachable = e.Message;
                throw new ClusterRequestException($"cluster {cluster} could not be reached: {e.Message}", 0, "Unreachable", isTransient: true, e);
            }
        }

        try
        {
            return await call(_client, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            if (e.StatusCode == 0)
            {
                _unreachable = e.Message;
            }

            throw new ClusterRequestException($"{Describe(record)} could not be {done}: {e.Message}", e.StatusCode, e.Reason, e.IsTransient, e);
        }
    }
}

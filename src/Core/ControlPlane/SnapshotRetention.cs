using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Volumes;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The VolumeSnapshots that go with the backups retention expires on one cluster. Only the backup's own are deleted: the
/// object under a recorded name must carry the backup's id (<see cref="StrataLabels.BackupId"/>) and Strata's
/// <see cref="StrataLabels.ManagedBy"/> label, and the recorded uid when there is one — or be one brought back from the
/// recorded content after a deletion, as verification says to (it names that content, is bound to it, and the content
/// holds the recorded handle: verification's rule too, <see cref="SnapshotProvenance"/>). Anything else found there
/// (someone else's object, one deleted and created again, one bound to other content) is left alone and logged.
/// Deleting a VolumeSnapshot deletes only that object: its content and the storage snapshot follow it when the content's <c>deletionPolicy</c> is
/// <c>Delete</c>, and stay when it is <c>Retain</c>. A content the volume layer set from <c>Delete</c> to <c>Retain</c>
/// (<see cref="VolumeSnapshotRecord.RetainedByStrata"/>, so that deleting the namespace does not delete the backup's
/// data) is Strata's to delete: once read and found to be the recorded one — its name, its
/// <c>spec.volumeSnapshotRef</c> (namespace, name, and the recorded uid or that of the VolumeSnapshot brought back from
/// it) and its <c>status.snapshotHandle</c> — it is set back to
/// <c>Delete</c> before its VolumeSnapshot is deleted, or deleted itself when the VolumeSnapshot is gone; one that is not
/// the recorded one is left alone and logged. The cluster is connected on first need (only backups with volume
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
    /// What to delete for each of <paramref name="records"/>, read before anything of <paramref name="backup"/> is
    /// deleted: the VolumeSnapshot when it is the backup's own, and the content Strata set to <c>Retain</c> when it is
    /// still the one recorded. Throws <see cref="ClusterRequestException"/> when the cluster cannot be read.
    /// </summary>
    public async Task<IReadOnlyList<SnapshotExpiry>> PlanAsync(BackupRecord backup, IReadOnlyList<VolumeSnapshotRecord> records, CancellationToken cancellationToken)
    {
        var planned = new List<SnapshotExpiry>();
        foreach (var record in records)
        {
            var live = await CallAsync(record, "read", (client, ct) => client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, ct), cancellationToken);

            // The content is read when Strata owes its deletion, or to tell whether a VolumeSnapshot under the recorded
            // name with a new uid was brought back from it (as verification's error says to do).
            var mayBeBroughtBack = live is not null && !SnapshotProvenance.IsRecordedObject(record, live) && SnapshotProvenance.NamesRecordedContent(record, live);
            var content = record.ContentName is { } name && (record.RetainedByStrata || mayBeBroughtBack)
                ? await CallAsync(record, "read", (client, ct) => client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, name, ct), cancellationToken)
                : null;
            var own = false;
            if (live is null)
            {
                result.Log($"{label}: {backup.Id}: {Describe(record)} is already gone");
            }
            else if (Foreign(backup, record, live, content) is { } why)
            {
                result.Log($"{label}: {backup.Id}: {Describe(record)} left alone: {why}");
            }
            else
            {
                own = true;
            }

            // A content bound to the VolumeSnapshot brought back names that object's uid, no longer the recorded one.
            var boundUid = own && !SnapshotProvenance.IsRecordedObject(record, live!) ? live!.Uid : null;
            var release = record is { RetainedByStrata: true, ContentName: not null } && RetainedContent(backup, record, content, boundUid);
            if (own || release)
            {
                planned.Add(new SnapshotExpiry(record, own, release));
            }
        }

        return planned;
    }

    /// <summary>
    /// Deletes what <paramref name="planned"/> says (one gone meanwhile is fine): a content Strata set to <c>Retain</c> is
    /// set back to <c>Delete</c> first, then its VolumeSnapshot deleted — the controller deletes the content and the
    /// sidecar the storage snapshot — or, when the VolumeSnapshot is gone (its namespace deleted), the content itself.
    /// <see cref="ClusterRequestException"/> when a call fails.
    /// </summary>
    public async Task DeleteAsync(BackupRecord backup, IReadOnlyList<SnapshotExpiry> planned, CancellationToken cancellationToken)
    {
        foreach (var (record, snapshot, content) in planned)
        {
            var released = content && await CallAsync(record, "set back to deletionPolicy: Delete", (client, ct) => ReleaseAsync(client, record.ContentName!, ct), cancellationToken);
            if (snapshot)
            {
                var deleted = await CallAsync(record, "deleted", (client, ct) => client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, ct), cancellationToken);
                result.Log($"{label}: {backup.Id}: {Describe(record)} " + (deleted ? "deleted" + Consequence(record, released) : "was already gone"));
            }
            else if (released)
            {
                var deleted = await CallAsync(record, "deleted", (client, ct) => client.DeleteAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, record.ContentName!, ct), cancellationToken);
                result.Log($"{label}: {backup.Id}: VolumeSnapshotContent {record.ContentName} of {Describe(record)}, whose VolumeSnapshot is gone, "
                    + (deleted ? "set back to deletionPolicy: Delete and deleted: the storage snapshot goes with it" : "was already gone"));
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="content"/> (the record's content as read; null when gone) is the one Strata set to Retain
    /// for it — bound to the recorded VolumeSnapshot by name, and by the recorded uid or, when that VolumeSnapshot was
    /// brought back from it and proven so, by <paramref name="broughtBackUid"/> — else it is left alone, and logged.
    /// </summary>
    private bool RetainedContent(BackupRecord backup, VolumeSnapshotRecord record, KubeObject? content, string? broughtBackUid)
    {
        var name = record.ContentName!;
        var why = content is null ? null
            : content.GetString("spec.volumeSnapshotRef.namespace") != record.Namespace || content.GetString("spec.volumeSnapshotRef.name") != record.SnapshotName
                ? $"it is bound to VolumeSnapshot {content.GetString("spec.volumeSnapshotRef.namespace")}/{content.GetString("spec.volumeSnapshotRef.name")}, not the recorded one"
            : content.GetString("spec.volumeSnapshotRef.uid") is var uid && (uid is null || (uid != record.SnapshotUid && uid != broughtBackUid))
                ? $"it is bound to VolumeSnapshot uid {uid ?? "none"}, recorded {record.SnapshotUid ?? "none"}" + (broughtBackUid is null ? "" : $", brought back {broughtBackUid}")
            : !SnapshotProvenance.HoldsRecordedHandle(record, content)
                ? $"its snapshotHandle is {content.GetString("status.snapshotHandle") ?? "none"}, recorded {record.SnapshotHandle ?? "none"}"
            : null;
        if (content is null)
        {
            result.Log($"{label}: {backup.Id}: VolumeSnapshotContent {name} of {Describe(record)} is already gone");
        }
        else if (why is not null)
        {
            result.Log($"{label}: {backup.Id}: VolumeSnapshotContent {name} of {Describe(record)} left alone (and its storage snapshot with it): {why}");
        }

        return content is not null && why is null;
    }

    /// <summary>Sets the content back to <c>Delete</c>; false when it is gone.</summary>
    private static async Task<bool> ReleaseAsync(IClusterWriter client, string content, CancellationToken cancellationToken)
    {
        try
        {
            await client.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content,
                new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Delete" } }, cancellationToken: cancellationToken);
            return true;
        }
        catch (ClusterRequestException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Why the live object is not the backup's to delete, or null when it is: the object the backup created, labelled as
    /// Strata labels it, with the recorded uid; or one brought back from the recorded content (<see cref="SnapshotProvenance"/>:
    /// it names that content, is bound to it, and the content holds the recorded handle) — a person creates that one, so it
    /// carries no Strata labels, but it must not carry another backup's id.
    /// </summary>
    private static string? Foreign(BackupRecord backup, VolumeSnapshotRecord record, KubeObject live, KubeObject? content) =>
        !SnapshotProvenance.IsRecordedObject(record, live) && SnapshotProvenance.NamesRecordedContent(record, live)
            ? !SnapshotProvenance.IsBroughtBack(record, live, content)
                ? $"it is not the object the backup created (uid {live.Uid ?? "none"}, recorded {record.SnapshotUid}), and though it names VolumeSnapshotContent "
                    + $"{record.ContentName} as its source it is not proven brought back from it: {NotBroughtBack(record, live, content)}"
            : live.Label(StrataLabels.BackupId) is { } other && other != backup.Id
                ? $"it was brought back from VolumeSnapshotContent {record.ContentName} but is labelled {StrataLabels.BackupId}={other}: not this backup's"
            : null
        : live.Label(StrataLabels.BackupId) is var id && id != backup.Id
            ? $"it is not labelled {StrataLabels.BackupId}={backup.Id} (found {id ?? "no such label"}): not this backup's"
        : live.Label(StrataLabels.ManagedBy) is var manager && manager != StrataLabels.Manager
            ? $"it is not labelled {StrataLabels.ManagedBy}={StrataLabels.Manager} (found {manager ?? "no such label"}): not Strata's"
        : !SnapshotProvenance.IsRecordedObject(record, live)
            ? $"it is not the object the backup created (uid {live.Uid ?? "none"}, recorded {record.SnapshotUid}): it was created again since"
        : null;

    /// <summary>Why one that names the recorded content is not proven brought back from it.</summary>
    private static string NotBroughtBack(VolumeSnapshotRecord record, KubeObject live, KubeObject? content) =>
        !SnapshotProvenance.IsBoundToRecordedContent(record, live) ? $"it is bound to {SnapshotStatus.BoundContent(live) ?? "no content"}"
        : content is null ? "that content is gone"
        : !SnapshotProvenance.HoldsRecordedHandle(record, content)
            ? $"that content holds snapshotHandle {content.GetString("status.snapshotHandle") ?? "none"}, recorded {record.SnapshotHandle ?? "none"}"
        : $"that content's volumeSnapshotRef names {content.GetString("spec.volumeSnapshotRef.namespace") ?? "none"}/{content.GetString("spec.volumeSnapshotRef.name") ?? "none"} "
            + $"(uid {content.GetString("spec.volumeSnapshotRef.uid") ?? "none"}), not it";

    /// <summary>What deleting the VolumeSnapshot did to the storage snapshot, by the content's deletion policy (as recorded, or set back).</summary>
    private static string Consequence(VolumeSnapshotRecord record, bool released) => released
        ? $"; its VolumeSnapshotContent{Content(record)}, set back to deletionPolicy: Delete (Strata had set Retain), and the storage snapshot go with it"
        : record.DeletionPolicy switch
        {
            "Delete" => $"; its VolumeSnapshotContent{Content(record)} and the storage snapshot go with it (deletionPolicy: Delete)",
            "Retain" when record.RetainedByStrata => $"; its VolumeSnapshotContent{Content(record)}, which Strata had set to Retain, was not set back to Delete (gone, or not the recorded one: see above)",
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

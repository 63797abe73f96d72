using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Volumes;

namespace Strata.Core.Verification;

/// <summary>
/// Checks a backup's volume snapshots against the cluster that holds them. A snapshot is not in the store: however
/// sound the artifacts, a backup whose VolumeSnapshot was deleted, is no longer <c>readyToUse</c>, or is no longer the
/// snapshot recorded (deleted and created again under its name, bound to other content, another storage handle) has
/// lost its volume data, or cannot be shown to have it: it fails verification. A VolumeSnapshot that is gone while its
/// VolumeSnapshotContent was retained and still holds the recorded storage snapshot, ready, fails too — the data is not
/// lost, but the backup is not counted good until a VolumeSnapshot is bound to that content again; the error names the
/// content and its handle and says how (a pre-provisioned VolumeSnapshot of the recorded name with
/// <c>spec.source.volumeSnapshotContentName</c>), and such a VolumeSnapshot, once bound and ready, passes. Reads only,
/// and connects only when the manifest has committed volume records.
/// </summary>
public static class VolumeSnapshotLiveCheck
{
    /// <summary>The check's name in findings.</summary>
    public const string Name = "snapshot";

    /// <summary>The fact, on a record's artifact, of a snapshot whose VolumeSnapshot is gone or was brought back (its content retained).</summary>
    public const string LiveFact = "live";

    /// <summary>
    /// Checks every committed record of <paramref name="manifest"/> (those with a path; a failed snapshot is the capture's
    /// problem, already reported) against the live cluster, connected through <paramref name="connect"/>. Without a
    /// connection the records are counted in one warning and in the result: the backup is not failed for what could not
    /// be looked at, nor proven by it. A cluster that cannot be reached, or does not serve the snapshot API, is one
    /// error: the backup cannot be proven.
    /// </summary>
    /// <returns>The records left unchecked for want of a connection, and the facts to add to records' artifacts.</returns>
    public static async Task<VolumeSnapshotLiveCheckResult> CheckAsync(
        BackupManifest manifest, Func<CancellationToken, Task<IClusterWriter>>? connect, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var records = manifest.Volumes?.Where(v => v.Path is not null).ToList() ?? [];
        if (records.Count == 0)
        {
            return VolumeSnapshotLiveCheckResult.None;
        }

        if (connect is null)
        {
            findings.Warning(Name, $"{Snapshots(records.Count)} {(records.Count == 1 ? "was" : "were")} not checked against cluster {manifest.Cluster}: "
                + "no cluster connection (pass --config with a strata.yaml that names it)");
            return new VolumeSnapshotLiveCheckResult(records.Count, notes);
        }

        IClusterWriter cluster;
        try
        {
            cluster = await connect(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever the connector could not do (resolve a credential, read a kubeconfig), the snapshots were not seen.
            Unchecked(manifest, records.Count, e.Message, findings);
            return VolumeSnapshotLiveCheckResult.None;
        }

        try
        {
            var missing = new List<VolumeSnapshotRecord>();
            foreach (var record in records)
            {
                if (await cluster.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, cancellationToken) is { } live)
                {
                    if (await CompareAsync(cluster, record, live, findings, cancellationToken) is { } note)
                    {
                        notes[record.Path!] = note;
                    }
                }
                else
                {
                    missing.Add(record);
                }
            }

            // A cluster without the snapshot CRDs answers 404 for every name too: that is not proof the snapshots are gone.
            if (missing.Count > 0 && (await cluster.DiscoverAsync(cancellationToken)).Find(VolumeSnapshotApi.Group, VolumeSnapshotApi.VolumeSnapshots.Name) is null)
            {
                Unchecked(manifest, records.Count, $"it does not serve {VolumeSnapshotApi.VolumeSnapshots}", findings);
                return VolumeSnapshotLiveCheckResult.None;
            }

            foreach (var record in missing)
            {
                if (await RetainedAsync(cluster, record, findings, cancellationToken) is { } note)
                {
                    notes[record.Path!] = note;
                }
            }
        }
        catch (ClusterRequestException e)
        {
            // No answer, refused credentials, no permission to read snapshots: one error, not one per snapshot.
            Unchecked(manifest, records.Count, e.Message, findings);
            return VolumeSnapshotLiveCheckResult.None;
        }

        return new VolumeSnapshotLiveCheckResult(0, notes);
    }

    /// <summary>
    /// A record whose VolumeSnapshot is gone: an error, always. Which one depends on its VolumeSnapshotContent: gone,
    /// being deleted, not <c>Retain</c> (with <c>Delete</c>, the snapshot controller deletes a content whose
    /// VolumeSnapshot is gone, and the storage snapshot with it), another handle, not <c>readyToUse</c> — the data is
    /// gone or going; else the data is still there, and the error says how to bind a VolumeSnapshot to it again (the
    /// record's artifact gets a note saying the content is retained).
    /// </summary>
    private static async Task<string?> RetainedAsync(IClusterWriter cluster, VolumeSnapshotRecord record, VerificationFindings findings, CancellationToken cancellationToken)
    {
        var gone = $"VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified} no longer exists";
        if (record.ContentName is not { } contentName || record.SnapshotHandle is not { } handle)
        {
            findings.Error(Name, $"{gone}: the volume data of this backup is gone", record.Path);
            return null;
        }

        if (await cluster.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, contentName, cancellationToken) is not { } content)
        {
            findings.Error(Name, $"{gone}, nor does its VolumeSnapshotContent {contentName}: the volume data of this backup is gone", record.Path);
            return null;
        }

        var its = $"{gone}, and its VolumeSnapshotContent {contentName}";
        var ready = SnapshotStatus.ReadyToUse(content); // a content's status has the snapshot's readyToUse and error
        if (content.GetString("metadata.deletionTimestamp") is { } since)
        {
            findings.Error(Name, $"{its} is being deleted (since {since}): the volume data of this backup is going", record.Path, "metadata.deletionTimestamp", "none", since);
        }
        else if (content.GetString("spec.deletionPolicy") is var policy && policy != "Retain")
        {
            findings.Error(Name, $"{its} has deletionPolicy {policy ?? "none"}: the snapshot controller deletes it, and the storage snapshot with it", record.Path,
                "spec.deletionPolicy", "Retain", policy ?? "none");
        }
        else if (content.GetString("status.snapshotHandle") is var found && found != handle)
        {
            findings.Error(Name, $"{its} holds another storage snapshot than the one recorded", record.Path, "status.snapshotHandle", handle, found ?? "none");
        }
        else if (ready is not true)
        {
            findings.Error(Name, $"{its} is not readyToUse" + (SnapshotStatus.Error(content) is { } error ? $": {error}" : ""), record.Path,
                "status.readyToUse", "true", ready is false ? "false" : "none");
        }
        else
        {
            findings.Error(Name, $"{its} is retained, ready, and still holds storage snapshot {handle}: the volume data is not lost, but this backup is not counted good "
                + $"until a VolumeSnapshot is bound to that content again. The snapshot controller binds a named content only when it is pre-provisioned: "
                + $"delete VolumeSnapshotContent {contentName} (deletionPolicy Retain keeps storage snapshot {handle}), create it again under the same name with "
                + $"spec.source.snapshotHandle: {handle}, the same driver, deletionPolicy: Retain and spec.volumeSnapshotRef {record.Namespace}/{record.SnapshotName}, "
                + $"then a VolumeSnapshot {record.Namespace}/{record.SnapshotName} with spec.source.volumeSnapshotContentName: {contentName}; then verify again", record.Path);
            return $"VolumeSnapshot gone, content {contentName} retained and ready";
        }

        return null;
    }

    /// <summary>
    /// The live VolumeSnapshot of <paramref name="record"/> must be the one recorded — or one brought back, pre-provisioned
    /// from the recorded content — ready, and bound to the recorded content and handle. Returns the note of one brought back.
    /// </summary>
    private static async Task<string?> CompareAsync(IClusterWriter cluster, VolumeSnapshotRecord record, KubeObject live, VerificationFindings findings, CancellationToken cancellationToken)
    {
        var what = $"VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified}";
        string? note = null;
        // Whose it is, by the rule retention applies too (SnapshotProvenance); the checks below say what of it fails.
        if (!SnapshotProvenance.IsRecordedObject(record, live))
        {
            if (!SnapshotProvenance.NamesRecordedContent(record, live))
            {
                // Someone else's object under the recorded name: nothing else about it says anything about this backup.
                findings.Error(Name, $"{what} is not the snapshot this backup took: it was deleted and created again", record.Path, "metadata.uid", record.SnapshotUid!, live.Uid ?? "none");
                return null;
            }

            // Brought back after a deletion, bound to the retained content: the checks below prove it holds the recorded data.
            note = $"VolumeSnapshot re-created from the retained content {record.ContentName}";
        }

        if (live.GetString("metadata.deletionTimestamp") is { } since)
        {
            // Its finalizers hold it until the controller has deleted the content (or released it): it is going.
            findings.Error(Name, $"{what} is being deleted (since {since}): the volume data of this backup is going", record.Path, "metadata.deletionTimestamp", "none", since);
            return null;
        }

        if (!SnapshotStatus.IsReady(live))
        {
            findings.Error(Name, NotReady(live, record), record.Path, "status.readyToUse", "true", SnapshotStatus.ReadyToUse(live) is false ? "false" : "none");
        }

        if (record.ContentName is not { } content)
        {
            return note;
        }

        if (!SnapshotProvenance.IsBoundToRecordedContent(record, live))
        {
            findings.Error(Name, $"{what} is bound to another VolumeSnapshotContent than the one recorded", record.Path,
                "status.boundVolumeSnapshotContentName", content, SnapshotStatus.BoundContent(live) ?? "none");
            return null;
        }

        if (record.SnapshotHandle is not { } handle)
        {
            return note;
        }

        var bound = await cluster.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, content, cancellationToken);
        if (bound is null)
        {
            findings.Error(Name, $"{what}: its VolumeSnapshotContent {content} no longer exists: the volume data of this backup is gone", record.Path);
        }
        else if (!SnapshotProvenance.HoldsRecordedHandle(record, bound))
        {
            findings.Error(Name, $"{what}: its VolumeSnapshotContent {content} holds another storage snapshot than the one recorded", record.Path,
                "status.snapshotHandle", handle, bound.GetString("status.snapshotHandle") ?? "none");
        }
        else if (note is not null && !SnapshotProvenance.ContentPointsAt(bound, live))
        {
            // Re-created: its status says bound, but the content's own reference is the binding's other half.
            findings.Error(Name, $"{what} says it is bound to VolumeSnapshotContent {content}, whose volumeSnapshotRef names another object", record.Path,
                "spec.volumeSnapshotRef", $"{live.Namespace}/{live.Name} (uid {live.Uid})", RefText(bound));
            return null;
        }

        return note;
    }

    private static string RefText(KubeObject content) =>
        $"{content.GetString("spec.volumeSnapshotRef.namespace") ?? "none"}/{content.GetString("spec.volumeSnapshotRef.name") ?? "none"} "
        + $"(uid {content.GetString("spec.volumeSnapshotRef.uid") ?? "none"})";

    private static void Unchecked(BackupManifest manifest, int count, string reason, VerificationFindings findings) =>
        findings.Error(Name, $"{Snapshots(count)} could not be checked against cluster {manifest.Cluster}: {reason}; the volume data of this backup cannot be proven");

    /// <summary>Why a live snapshot is not ready, in words: not ready, with the controller's last error when it gave one.</summary>
    private static string NotReady(KubeObject snapshot, VolumeSnapshotRecord record) =>
        $"VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified} is not readyToUse" + (SnapshotStatus.Error(snapshot) is { } error ? $": {error}" : "");

    private static string Snapshots(int count) => count == 1 ? "1 volume snapshot" : $"{count} volume snapshots";
}

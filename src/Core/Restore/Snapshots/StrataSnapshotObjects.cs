using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// Recognises the snapshot objects Strata itself made — the volume layer's VolumeSnapshots (labelled with the backup's
/// id) and a restore's pre-provisioned ones (labelled with the restore's id) — and the contents bound to them: a restore
/// brings claims back from the backup's volume records, never by re-applying these.
/// </summary>
public static class StrataSnapshotObjects
{
    /// <summary>Who made <paramref name="obj"/> (<c>Strata's volume layer, backup X</c>), or null when Strata did not.</summary>
    public static string? MadeBy(KubeObject obj) =>
        obj.Label(StrataLabels.ManagedBy) != StrataLabels.Manager ? null
        : obj.Label(StrataLabels.BackupId) is { } backup ? $"Strata's volume layer (backup {backup})"
        : obj.Label(StrataLabels.RestoreId) is { } restore ? $"Strata's restore {restore}"
        : null;

    /// <summary>Why a VolumeSnapshot in the archive is not re-applied, or null when it is restored like any other object.</summary>
    public static string? SnapshotReason(KubeObject snapshot) => MadeBy(snapshot) is { } who
        ? $"made by {who}: its claim is restored from the backup's volume record instead; re-applied, a VolumeSnapshot whose source " +
          "is a claim would snapshot the restored claim anew, and one bound to a content would compete for its snapshot"
        : null;

    /// <summary>
    /// Why a VolumeSnapshotContent in the archive is not re-applied — made by Strata, named by the backup's volume
    /// records, or bound to a VolumeSnapshot Strata made (<paramref name="set"/>) — or null.
    /// </summary>
    public static string? ContentReason(KubeObject content, IRestoreSetFacts set)
    {
        var boundNs = content.GetString("spec.volumeSnapshotRef.namespace");
        var boundName = content.GetString("spec.volumeSnapshotRef.name");
        var why = MadeBy(content) is { } who ? $"made by {who}"
            : set.IsRecordedContent(content.Name) ? "the content of a snapshot the backup's volume records hold"
            : boundName is not null && set.IsStrataSnapshot(boundNs, boundName) ? $"bound to VolumeSnapshot {boundNs}/{boundName}, which Strata made"
            : null;
        return why is null ? null
            : $"{why}: claims are restored from the backup's volume records, which make a content of their own (deletionPolicy Retain); " +
              $"re-applied, this one would compete with the original for snapshot handle {content.GetString("spec.source.snapshotHandle") ?? content.GetString("status.snapshotHandle") ?? "?"}";
    }

    /// <summary>
    /// Why a ConfigMap in the archive is not re-applied — a <c>backup_label</c> ConfigMap an earlier restore made (a later
    /// backup captured it): this restore writes the one of the snapshot it restores from — or null.
    /// </summary>
    public static string? BackupLabelReason(KubeObject configMap) =>
        configMap.Label(StrataLabels.ManagedBy) == StrataLabels.Manager && configMap.Label(StrataLabels.RestoreId) is { } restore
        && (configMap.Json["data"] as System.Text.Json.Nodes.JsonObject)?.ContainsKey(BackupLabelConfigMap.BackupLabelKey) == true
            ? $"the backup_label Strata's restore {restore} wrote for a PostgreSQL volume; a restore writes the one of the snapshot it restores from, never an older one"
            : null;

    /// <summary>The group-qualified names of the two resources.</summary>
    public static readonly string VolumeSnapshots = VolumeSnapshotApi.VolumeSnapshots.QualifiedName;

    /// <inheritdoc cref="VolumeSnapshots"/>
    public static readonly string VolumeSnapshotContents = VolumeSnapshotApi.VolumeSnapshotContents.QualifiedName;
}

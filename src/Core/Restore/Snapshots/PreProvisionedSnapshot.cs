using System.Text.Json.Nodes;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// The two objects that make a snapshot the backup recorded usable in a namespace other than its own (or in another
/// cluster): a pre-provisioned <c>VolumeSnapshotContent</c> that names the storage system's handle, bound to a new
/// <c>VolumeSnapshot</c> in the target namespace — the snapshot controller binds the pair, and the CSI driver checks
/// the handle and reports it <c>readyToUse</c> (or an error).
/// </summary>
public static class PreProvisionedSnapshot
{
    /// <summary>The VolumeSnapshotContent <paramref name="name"/> for <paramref name="record"/>, bound to <paramref name="snapshotNamespace"/>/<paramref name="snapshotName"/>.</summary>
    /// <param name="name">Its name (<see cref="SnapshotRestoreNames.Content"/>).</param>
    /// <param name="record">The backup's record of the snapshot: driver, handle, volume mode.</param>
    /// <param name="snapshotNamespace">The target namespace.</param>
    /// <param name="snapshotName">The VolumeSnapshot it binds to (<see cref="SnapshotRestoreNames.Snapshot"/>).</param>
    /// <param name="snapshotClass">The VolumeSnapshotClass to name, when the target has the recorded one; null leaves it out.</param>
    /// <param name="restoreId">The restore (or drill) creating it.</param>
    /// <param name="backupId">The backup restored from.</param>
    public static JsonObject Content(
        string name, VolumeSnapshotRecord record, string snapshotNamespace, string snapshotName, string? snapshotClass, string restoreId, string backupId)
    {
        var spec = new JsonObject
        {
            // Retain, always: this object is a second name for a storage snapshot the original VolumeSnapshotContent still
            // owns (and, with its Delete policy, deletes when retention expires it). With Delete here, removing the copy —
            // a drill's clean-up, a person tidying the restored namespace — would destroy the backup itself.
            ["deletionPolicy"] = "Retain",
            ["driver"] = record.Driver,
            ["source"] = new JsonObject { ["snapshotHandle"] = record.SnapshotHandle },
            ["volumeSnapshotRef"] = new JsonObject
            {
                ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
                ["kind"] = "VolumeSnapshot",
                ["name"] = snapshotName,
                ["namespace"] = snapshotNamespace,
            },
        };
        if (record.VolumeMode is { Length: > 0 } mode)
        {
            spec["sourceVolumeMode"] = mode; // the provisioner refuses a claim of another mode unless the content allows it
        }

        if (snapshotClass is not null)
        {
            spec["volumeSnapshotClassName"] = snapshotClass;
        }

        return Object("VolumeSnapshotContent", name, null, record, restoreId, backupId, spec);
    }

    /// <summary>The VolumeSnapshot <paramref name="name"/> in <paramref name="ns"/>, bound to the content <paramref name="contentName"/>.</summary>
    public static JsonObject Snapshot(
        string name, string ns, string contentName, string? snapshotClass, VolumeSnapshotRecord record, string restoreId, string backupId)
    {
        var spec = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = contentName } };
        if (snapshotClass is not null)
        {
            spec["volumeSnapshotClassName"] = snapshotClass;
        }

        return Object("VolumeSnapshot", name, ns, record, restoreId, backupId, spec);
    }

    /// <summary>What <see cref="SnapshotRestoreNames.RestoredFromAnnotation"/> says.</summary>
    public static string RestoredFrom(VolumeSnapshotRecord record, string backupId) =>
        $"backup {backupId}: VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified}";

    private static JsonObject Object(string kind, string name, string? ns, VolumeSnapshotRecord record, string restoreId, string backupId, JsonObject spec)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = SnapshotRestoreNames.Labels(restoreId),
            ["annotations"] = new JsonObject { [SnapshotRestoreNames.RestoredFromAnnotation] = RestoredFrom(record, backupId) },
        };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject
        {
            ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }
}

using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// The ConfigMap that carries a PostgreSQL volume's <c>backup_label</c> (and <c>tablespace_map</c>) into the restored
/// namespace. <c>pg_backup_stop</c> returned them instead of writing them into the data directory, so the snapshot
/// lacks them; the init step of docs/restore.md copies them into <c>$PGDATA</c> before the server starts.
/// </summary>
public static class BackupLabelConfigMap
{
    /// <summary>ConfigMaps.</summary>
    public static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["create", "get", "patch"]);

    /// <summary>The key holding <c>backup_label</c>.</summary>
    public const string BackupLabelKey = "backup_label";

    /// <summary>The key holding <c>tablespace_map</c> (only when the server returned one).</summary>
    public const string TablespaceMapKey = "tablespace_map";

    /// <summary>Whether <paramref name="record"/> needs one: application-consistent, with a <c>backup_label</c>.</summary>
    public static bool IsNeeded(VolumeSnapshotRecord record) =>
        record.Consistency == VolumeConsistency.Application && !string.IsNullOrEmpty(record.OnlineBackup?.BackupLabel);

    /// <summary>The ConfigMap for <paramref name="record"/> in <paramref name="ns"/>.</summary>
    public static JsonObject Body(string ns, string claim, VolumeSnapshotRecord record, string restoreId, string backupId)
    {
        var online = record.OnlineBackup!;
        var data = new JsonObject { [BackupLabelKey] = online.BackupLabel };
        if (!string.IsNullOrEmpty(online.TablespaceMap))
        {
            data[TablespaceMapKey] = online.TablespaceMap;
        }

        var annotations = new JsonObject { [SnapshotRestoreNames.RestoredFromAnnotation] = PreProvisionedSnapshot.RestoredFrom(record, backupId) };
        if (online.StartLsn is { } start && online.StopLsn is { } stop)
        {
            annotations[WalRangeAnnotation] = $"{start}-{stop}";
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = SnapshotRestoreNames.BackupLabelConfigMap(claim),
                ["namespace"] = ns,
                ["labels"] = SnapshotRestoreNames.Labels(restoreId),
                ["annotations"] = annotations,
            },
            ["data"] = data,
        };
    }

    /// <summary>The WAL recovery must replay, from the start LSN to the stop LSN (<c>0/2000028-0/2000100</c>).</summary>
    public const string WalRangeAnnotation = "strata.dev/wal-range";
}

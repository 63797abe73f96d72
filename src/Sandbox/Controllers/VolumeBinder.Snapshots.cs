using System.Text.Json.Nodes;

namespace Strata.Sandbox.Controllers;

/// <summary>Claims made from a VolumeSnapshot, as the external-provisioner and its CSI driver provision them.</summary>
internal sealed partial class VolumeBinder
{
    /// <summary>The sandbox's record, on a volume restored from a snapshot, of the snapshot's handle.</summary>
    public const string RestoredFrom = "sandbox.strata.dev/restored-from-snapshot";

    private const string AllowVolumeModeChange = "snapshot.storage.kubernetes.io/allow-volume-mode-change";

    /// <summary>The VolumeSnapshot a claim is made from (<c>dataSourceRef</c>, else <c>dataSource</c>); null for any other source.</summary>
    private static (string Namespace, string Name)? SnapshotDataSource(JsonObject claim)
    {
        var source = claim["spec"]?["dataSourceRef"] as JsonObject ?? claim["spec"]?["dataSource"] as JsonObject;
        if (SnapshotApi.Text(source?["apiGroup"]) != SnapshotApi.Group || SnapshotApi.Text(source?["kind"]) != "VolumeSnapshot"
            || SnapshotApi.Text(source?["name"]) is not { } name)
        {
            return null;
        }

        return (SnapshotApi.Text(source?["namespace"]) ?? SnapshotApi.Text(claim["metadata"]!["namespace"])!, name);
    }

    /// <summary>
    /// getSnapshotSource, then the driver's <c>CreateVolume</c>: the snapshot's handle when the claim can be made from it
    /// — the snapshot is in the claim's namespace, bound both ways, ready, of the class's driver, no larger than the
    /// claim, of the claim's volume mode (or allowed to change it), and still on the storage system. Null otherwise: the
    /// claim stays Pending (a real cluster says why in an event).
    /// </summary>
    private string? RestoreSource(JsonObject claim, (string Namespace, string Name) source, string provisioner)
    {
        var claimNs = SnapshotApi.Text(claim["metadata"]!["namespace"])!;
        if (source.Namespace != claimNs // cross-namespace sources need the CrossNamespaceVolumeDataSource gate, off by default
            || SnapshotApi.Snapshots(store) is not { } snapshots || SnapshotApi.Contents(store) is not { } contents
            || objects.Read(snapshots, source.Namespace, source.Name) is not { } snapshot
            || SnapshotApi.Text(snapshot["status"]?["boundVolumeSnapshotContentName"]) is not { } contentName
            || objects.Read(contents, null, contentName) is not { } content
            || !SnapshotApi.Names(content, source.Namespace, source.Name, SnapshotApi.Text(snapshot["metadata"]!["uid"])!, uidRequired: true)
            || SnapshotApi.Text(content["spec"]?["driver"]) != provisioner
            || snapshot["status"]?["readyToUse"]?.GetValue<bool>() != true
            || SnapshotApi.Text(content["status"]?["snapshotHandle"]) is not { } handle)
        {
            return null;
        }

        if (snapshot["status"]?["restoreSize"] is { } restoreSize
            && (Quantity.Bytes(claim["spec"]?["resources"]?["requests"]?["storage"]?.ToString()) ?? -1) < Quantity.Bytes(restoreSize.ToString()))
        {
            return null; // requested volume size ... is less than the size ... for the source snapshot
        }

        var sourceMode = SnapshotApi.Text(content["spec"]?["sourceVolumeMode"]);
        if (sourceMode is not null && sourceMode != (SnapshotApi.Text(claim["spec"]?["volumeMode"]) ?? "Filesystem")
            && SnapshotApi.Text(content["metadata"]?["annotations"]?[AllowVolumeModeChange]) != "true")
        {
            return null;
        }

        return snapshotBackend is null || snapshotBackend.Find(provisioner, handle) is not null ? handle : null;
    }

    /// <summary>When a snapshot becomes ready, the Pending claims made from it are provisioned (after the bind delay).</summary>
    private void RestoreWhenReady(ObjectWrite write)
    {
        if (write.Type.Plural != "volumesnapshots" || write.Subresource != "status"
            || write.Object["status"]?["readyToUse"]?.GetValue<bool>() != true || write.Previous?["status"]?["readyToUse"]?.GetValue<bool>() == true)
        {
            return;
        }

        var (ns, name) = (SnapshotApi.Text(write.Object["metadata"]!["namespace"])!, SnapshotApi.Text(write.Object["metadata"]!["name"])!);
        foreach (var stored in store.Open(_claims).Items.Where(c => c.Namespace == ns))
        {
            var claim = stored.ToJson("v1", _claims.Kind);
            if (SnapshotApi.Text(claim["status"]?["phase"]) == "Pending" && SnapshotDataSource(claim) == (ns, name))
            {
                queue.AddAfter(settings.VolumeBindDelay, () => Bind(ns, stored.Name, stored.Uid));
            }
        }
    }
}

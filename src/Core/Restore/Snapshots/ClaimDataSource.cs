using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// Turns a backed-up claim into one the CSI provisioner fills from a VolumeSnapshot: <c>spec.dataSource</c> and the same
/// <c>spec.dataSourceRef</c> (the API requires the two to match when the reference names no namespace), no
/// <c>spec.volumeName</c> nor binding annotations (a new volume is provisioned from the snapshot), and a storage request
/// no smaller than the snapshot's <c>restoreSize</c> (the provisioner refuses a smaller one).
/// </summary>
public static class ClaimDataSource
{
    /// <summary>
    /// Rewrites <paramref name="claim"/> (a sanitized PersistentVolumeClaim) in place to be provisioned from the
    /// VolumeSnapshot <paramref name="snapshotName"/> of its namespace; <paramref name="restoreBytes"/> (and its quantity,
    /// <paramref name="restoreSize"/>) is the smallest volume the snapshot fits in, when known. Returns the request it
    /// raised (<c>From</c> may be null when the claim asked for none), or null when the request was large enough.
    /// </summary>
    public static (string? From, string To)? Apply(JsonObject claim, string snapshotName, long? restoreBytes, string? restoreSize)
    {
        var spec = claim["spec"] as JsonObject ?? (JsonObject)(claim["spec"] = new JsonObject());
        spec["dataSource"] = Reference(snapshotName);
        spec["dataSourceRef"] = Reference(snapshotName);
        spec.Remove("volumeName");
        if ((claim["metadata"] as JsonObject)?["annotations"] is JsonObject annotations)
        {
            foreach (var key in RestoreSanitizer.BindingAnnotations)
            {
                annotations.Remove(key);
            }
        }

        if (restoreBytes is not { } needed)
        {
            return null;
        }

        var resources = spec["resources"] as JsonObject ?? (JsonObject)(spec["resources"] = new JsonObject());
        var requests = resources["requests"] as JsonObject ?? (JsonObject)(resources["requests"] = new JsonObject());
        var asked = requests["storage"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (StorageQuantity.TryParseBytes(asked, out var askedBytes) && askedBytes >= needed)
        {
            return null;
        }

        var raised = StorageQuantity.TryParseBytes(restoreSize, out var sizeBytes) && sizeBytes == needed ? restoreSize! : needed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        requests["storage"] = raised;
        return (asked, raised);
    }

    private static JsonObject Reference(string snapshotName) => new()
    {
        ["apiGroup"] = VolumeSnapshotApi.Group,
        ["kind"] = "VolumeSnapshot",
        ["name"] = snapshotName,
    };
}

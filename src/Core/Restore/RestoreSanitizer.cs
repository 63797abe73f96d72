using System.Text.Json.Nodes;

namespace Strata.Core.Restore;

/// <summary>
/// Makes a backed-up document fit to be created again: drops what the server sets (and would
/// refuse or misread), and references to objects that are not being restored. Each rule is a row
/// with its reason.
/// </summary>
public static class RestoreSanitizer
{
    /// <summary>Metadata the server sets on its own, with the reason each goes.</summary>
    public static IReadOnlyList<(string Field, string Reason)> ServerSetMetadata { get; } =
    [
        ("uid", "the new object gets its own"),
        ("resourceVersion", "a create must not carry one; the server refuses it"),
        ("creationTimestamp", "the server stamps the new object"),
        ("generation", "the server counts spec changes of the new object"),
        ("managedFields", "field ownership of the old object's writers, not of the restore"),
        ("selfLink", "removed from the API; stale in any case"),
        ("deletionTimestamp", "an object caught while being deleted is restored alive"),
        ("deletionGracePeriodSeconds", "belongs with deletionTimestamp"),
    ];

    /// <summary>PersistentVolumeClaim annotations that describe a binding the restore drops.</summary>
    public static IReadOnlyList<string> BindingAnnotations { get; } =
    [
        "pv.kubernetes.io/bind-completed",
        "pv.kubernetes.io/bound-by-controller",
    ];

    /// <summary>Names the node a volume was provisioned on; node names belong to one cluster.</summary>
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";

    /// <summary>
    /// Sanitizes <paramref name="doc"/> in place. <paramref name="isRestored"/> says whether an
    /// owner (by its old uid) is part of this restore; <paramref name="isVolumeRestored"/> whether
    /// a PersistentVolume (by name) is.
    /// </summary>
    public static void Sanitize(string qualifiedResource, JsonObject doc, Func<string, bool> isRestored, Func<string, bool> isVolumeRestored)
    {
        doc.Remove("status"); // the controllers of the target report it anew
        if (doc["metadata"] is JsonObject metadata)
        {
            foreach (var (field, _) in ServerSetMetadata)
            {
                metadata.Remove(field);
            }

            DropOwnersNotRestored(metadata, isRestored);
        }

        var spec = doc["spec"] as JsonObject;
        switch (qualifiedResource)
        {
            case "services" when spec is not null:
                // Allocated by the server from the target's service range; "None" (headless) is a choice, kept.
                if (spec["clusterIP"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                    && spec["clusterIP"]!.GetValue<string>() != "None")
                {
                    spec.Remove("clusterIP");
                    spec.Remove("clusterIPs");
                }

                spec.Remove("healthCheckNodePort"); // allocated, like the cluster IP
                break;
            case "persistentvolumeclaims" when spec is not null:
                if (spec["volumeName"] is JsonValue volume && volume.TryGetValue<string>(out var pv) && !isVolumeRestored(pv))
                {
                    // Bound to a volume that is not restored: let the claim bind or provision anew.
                    spec.Remove("volumeName");
                    RemoveAnnotations(doc, BindingAnnotations);
                }

                RemoveAnnotations(doc, [SelectedNodeAnnotation]);
                break;
            case "persistentvolumes" when (spec?["claimRef"]) is JsonObject claimRef:
                // The claim is created anew with a new uid; a claimRef that names the old uid would leave the volume Released.
                claimRef.Remove("uid");
                claimRef.Remove("resourceVersion");
                break;
            case "pods" when spec is not null:
                spec.Remove("nodeName"); // the scheduler places it; node names belong to one cluster
                break;
        }
    }

    /// <summary>Drops a Service's <c>spec.ports[].nodePort</c>, so that the server allocates free ones (<see cref="RestoreRequest.ReallocateNodePorts"/>).</summary>
    public static void DropNodePorts(JsonObject service)
    {
        foreach (var port in ((service["spec"] as JsonObject)?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port.Remove("nodePort");
        }
    }

    private static void DropOwnersNotRestored(JsonObject metadata, Func<string, bool> isRestored)
    {
        if (metadata["ownerReferences"] is not JsonArray owners)
        {
            return;
        }

        for (var i = owners.Count - 1; i >= 0; i--)
        {
            var uid = (owners[i] as JsonObject)?["uid"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (uid is null || !isRestored(uid))
            {
                owners.RemoveAt(i); // the garbage collector would delete a dependent whose owner does not exist
            }
        }

        if (owners.Count == 0)
        {
            metadata.Remove("ownerReferences");
        }
    }

    private static void RemoveAnnotations(JsonObject doc, IEnumerable<string> keys)
    {
        if ((doc["metadata"] as JsonObject)?["annotations"] is JsonObject annotations)
        {
            foreach (var key in keys)
            {
                annotations.Remove(key);
            }
        }
    }
}

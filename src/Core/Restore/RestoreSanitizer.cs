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
    /// Pod template labels of a Job that name the old Job's uid. Unless <c>spec.manualSelector</c> is true the
    /// server generates the selector and these labels from the new uid, and refuses (422) a Job that carries the old
    /// ones; <c>job-name</c> labels name the Job, which is the same, and are kept.
    /// </summary>
    public static IReadOnlyList<(string Label, string Reason)> JobGeneratedLabels { get; } =
    [
        ("batch.kubernetes.io/controller-uid", "names the old Job's uid; the server stamps the new one"),
        ("controller-uid", "the legacy form of the same label; the server stamps it too"),
    ];

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
            case "jobs.batch" when spec is not null && !(spec["manualSelector"] is JsonValue manual && manual.TryGetValue<bool>(out var isManual) && isManual):
                // The generated selector matches the old uid only; the server generates it anew (Velero's job action).
                spec.Remove("selector");
                if (spec["template"]?["metadata"]?["labels"] is JsonObject templateLabels)
                {
                    foreach (var (label, _) in JobGeneratedLabels)
                    {
                        templateLabels.Remove(label);
                    }
                }

                break;
            case "pods" when spec is not null:
                spec.Remove("nodeName"); // the scheduler places it; node names belong to one cluster
                break;
        }
    }

    /// <summary>
    /// What <see cref="Disarm"/> changes so that a copy beside its original acts on nothing outside its namespaces
    /// (<see cref="RestoreRequest.DisarmExternalEffects"/>), by the name each change is counted under, with its reason.
    /// </summary>
    public static IReadOnlyList<(string Change, string Reason)> DisarmChanges { get; } =
    [
        (CronJobsSuspended, "a copied CronJob would run its jobs a second time: twice the mails, payments, exports"),
        (LoadBalancersMadeClusterIP, "a copied LoadBalancer Service gets a second external address (and its cost), or competes for the original's loadBalancerIP"),
        (ExternalDnsAnnotationsDropped, "external-dns would point the original's DNS names at the copy"),
    ];

    /// <summary>Counted for each CronJob restored with <c>spec.suspend: true</c>.</summary>
    public const string CronJobsSuspended = "cronJobsSuspended";

    /// <summary>Counted for each Service of <c>type: LoadBalancer</c> restored as <c>ClusterIP</c>.</summary>
    public const string LoadBalancersMadeClusterIP = "loadBalancersMadeClusterIP";

    /// <summary>Counted for each object restored without its <c>external-dns.alpha.kubernetes.io/*</c> annotations.</summary>
    public const string ExternalDnsAnnotationsDropped = "externalDnsAnnotationsDropped";

    /// <summary>The LoadBalancer fields the API refuses on a ClusterIP Service (node ports included).</summary>
    private static readonly string[] LoadBalancerFields =
        ["loadBalancerIP", "loadBalancerClass", "loadBalancerSourceRanges", "externalTrafficPolicy", "healthCheckNodePort", "allocateLoadBalancerNodePorts"];

    /// <summary>Makes <paramref name="doc"/> harmless beside its original (<see cref="DisarmChanges"/>); returns the changes made.</summary>
    public static List<string> Disarm(string qualifiedResource, JsonObject doc)
    {
        var changes = new List<string>();
        var spec = doc["spec"] as JsonObject;
        if (qualifiedResource == "cronjobs.batch" && spec is not null)
        {
            spec["suspend"] = true;
            changes.Add(CronJobsSuspended);
        }

        if (qualifiedResource == "services" && spec?["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "LoadBalancer")
        {
            spec["type"] = "ClusterIP";
            foreach (var field in LoadBalancerFields)
            {
                spec.Remove(field);
            }

            DropNodePorts(doc); // a ClusterIP Service may not have node ports
            changes.Add(LoadBalancersMadeClusterIP);
        }

        if ((doc["metadata"] as JsonObject)?["annotations"] is JsonObject annotations)
        {
            var dns = annotations.Select(a => a.Key).Where(k => k.StartsWith("external-dns.alpha.kubernetes.io/", StringComparison.Ordinal)).ToList();
            foreach (var key in dns)
            {
                annotations.Remove(key);
            }

            if (dns.Count > 0)
            {
                changes.Add(ExternalDnsAnnotationsDropped);
            }
        }

        return changes;
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

using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>
/// Resource types a backup leaves out unless the user names them in <c>--include-resources</c>,
/// each with the reason. Object-level exclusions (finished or controller-owned pods) are item
/// actions: see <see cref="BackupItemActions"/>.
/// </summary>
public static class DefaultExclusions
{
    /// <summary>The table: group ("*" for any resource of the group), resource, reason.</summary>
    public static IReadOnlyList<ResourceExclusion> Resources { get; } =
    [
        new("", "events", "transient records that expire after an hour; controllers emit new ones"),
        new("events.k8s.io", "events", "transient records that expire after an hour; controllers emit new ones"),
        new("", "endpoints", "derived from Services and ready Pods by the endpoints controller"),
        new("discovery.k8s.io", "endpointslices", "derived from Services and ready Pods by the EndpointSlice controller"),
        new("coordination.k8s.io", "leases", "leader-election and heartbeat state, stale the moment it is restored"),
        new("", "nodes", "registered by each kubelet; they describe machines, not workloads"),
        new("storage.k8s.io", "csinodes", "written by kubelets for their CSI drivers"),
        new("storage.k8s.io", "volumeattachments", "attach state owned by the attach/detach controller"),
        new("", "componentstatuses", "a deprecated health probe, not stored objects"),
        new("metrics.k8s.io", "*", "usage samples computed by metrics-server, not stored state"),
        new("authentication.k8s.io", "*", "requests to evaluate, not stored objects"),
        new("authorization.k8s.io", "*", "requests to evaluate, not stored objects"),
    ];

    /// <summary>The exclusion that applies to <paramref name="resource"/>, or null.</summary>
    public static ResourceExclusion? For(ApiResource resource) =>
        Resources.FirstOrDefault(e => e.Group == resource.Group && (e.Resource == "*" || e.Resource == resource.Name));
}

using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>
/// Cluster-scoped objects that captured namespaced objects need, for
/// <see cref="ClusterResourcesMode.Auto"/>: a table of rules, each saying which cluster-scoped
/// resource an object points at, and why a restore needs it.
/// </summary>
public static class ClusterDependencies
{
    /// <summary>The cluster-scoped resources the rules can point at: group and plural name.</summary>
    public static IReadOnlyList<(string Group, string Resource)> Targets { get; } =
    [
        ("", "namespaces"),
        ("apiextensions.k8s.io", "customresourcedefinitions"),
        ("", "persistentvolumes"),
        ("rbac.authorization.k8s.io", "clusterroles"),
    ];

    /// <summary>The rules.</summary>
    public static IReadOnlyList<DependencyRule> Rules { get; } =
    [
        new("a namespaced object needs its Namespace to exist",
            (r, o) => o.Namespace is { } ns ? [new("", "namespaces", ns)] : []),
        // Any grouped resource may be served by a CRD; built-in ones are not, so this one is optional.
        new("a custom resource needs its CustomResourceDefinition",
            (r, o) => r.Group.Length > 0 ? [new("apiextensions.k8s.io", "customresourcedefinitions", $"{r.Name}.{r.Group}", Optional: true)] : []),
        new("a bound PersistentVolumeClaim needs its PersistentVolume",
            (r, o) => r is { Group: "", Name: "persistentvolumeclaims" } && o.GetString("spec.volumeName") is { Length: > 0 } pv
                ? [new("", "persistentvolumes", pv)] : []),
        new("a RoleBinding that grants a ClusterRole needs that ClusterRole",
            (r, o) => r is { Group: "rbac.authorization.k8s.io", Name: "rolebindings" } && o.GetString("roleRef.kind") == "ClusterRole"
                && o.GetString("roleRef.name") is { Length: > 0 } role
                ? [new("rbac.authorization.k8s.io", "clusterroles", role)] : []),
    ];

    /// <summary>Every dependency of one captured object.</summary>
    public static IEnumerable<Dependency> Of(ApiResource resource, KubeObject obj) =>
        Rules.SelectMany(rule => rule.Find(resource, obj));
}

namespace Strata.Core.Backup;

/// <summary>Which cluster-scoped resources a backup takes.</summary>
public enum ClusterResourcesMode
{
    /// <summary>
    /// Those the captured namespaced objects need (their Namespaces, the CRDs of captured custom
    /// resources, PVs bound to captured PVCs, ClusterRoles referenced by captured RoleBindings);
    /// when the scope is every namespace, all cluster-scoped resources, as for a whole-cluster backup.
    /// </summary>
    Auto,

    /// <summary>All cluster-scoped resources in scope.</summary>
    Include,

    /// <summary>None.</summary>
    Exclude,
}

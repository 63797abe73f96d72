using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>
/// The RBAC objects the API server makes itself: at every start kube-apiserver creates and reconciles its default
/// roles and bindings (labelled <c>kubernetes.io/bootstrapping: rbac-defaults</c> — <c>cluster-admin</c>, <c>admin</c>,
/// <c>edit</c>, <c>view</c>, <c>system:*</c>), and the <c>system:</c> prefix of ClusterRoles and ClusterRoleBindings is
/// reserved for the control plane and its add-ons, which create theirs. Every cluster has its own already; a restore
/// that tries to create or patch one is refused without <c>escalate</c>/<c>bind</c> (the check comes before the
/// existence check), and one that could would overwrite the target's with the source's. Capture keeps them: they
/// document the source cluster.
/// </summary>
internal static class RbacBootstrap
{
    /// <summary>The label kube-apiserver puts on the RBAC objects it bootstraps.</summary>
    public const string Label = "kubernetes.io/bootstrapping";

    /// <summary>Its value.</summary>
    public const string Defaults = "rbac-defaults";

    /// <summary>The name prefix Kubernetes reserves for the system's ClusterRoles and ClusterRoleBindings.</summary>
    public const string SystemPrefix = "system:";

    /// <summary>Why a Role or RoleBinding is the API server's (labelled), or null.</summary>
    public static string? Reason(KubeObject obj) =>
        obj.Label(Label) == Defaults ? $"bootstrapped by the API server ({Label}: {Defaults}): every cluster creates and reconciles its own" : null;

    /// <summary>Why a ClusterRole or ClusterRoleBinding is the API server's (labelled) or the system's (<c>system:</c>), or null.</summary>
    public static string? ClusterReason(KubeObject obj) => Reason(obj)
        ?? (obj.Name.StartsWith(SystemPrefix, StringComparison.Ordinal)
            ? $"a {SystemPrefix} name, reserved for the control plane and its add-ons, which create their own on every cluster" : null);
}

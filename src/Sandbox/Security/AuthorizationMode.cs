namespace Strata.Sandbox.Security;

/// <summary>How a sandbox decides whether an authenticated caller may do what it asks (<see cref="SandboxOptions.Authorization"/>).</summary>
public enum AuthorizationMode
{
    /// <summary>Everyone authenticated may do everything but what <see cref="AccessControl.Deny"/> forbids (the default).</summary>
    AlwaysAllow,

    /// <summary>
    /// As kube-apiserver with <c>--authorization-mode=RBAC</c>: the Roles, ClusterRoles and bindings the sandbox
    /// stores decide; <c>system:masters</c> may do everything; <see cref="AccessControl.Deny"/> still applies.
    /// </summary>
    Rbac,
}

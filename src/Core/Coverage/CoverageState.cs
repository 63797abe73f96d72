namespace Strata.Core.Coverage;

/// <summary>Whether something stateful in a cluster would survive losing the cluster.</summary>
public enum CoverageState
{
    /// <summary>A policy's layer protects it (<see cref="CoverageEntry.ProtectedBy"/> says which).</summary>
    Protected,

    /// <summary>Nothing backs it up, and nothing needs to: GitOps-managed and stateless, so Git rebuilds it.</summary>
    Rebuildable,

    /// <summary>It holds state and no policy protects it.</summary>
    Unprotected,
}

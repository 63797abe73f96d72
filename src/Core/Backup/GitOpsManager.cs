namespace Strata.Core.Backup;

/// <summary>Who can rebuild an object from Git.</summary>
public enum GitOpsManager
{
    /// <summary>Argo CD.</summary>
    ArgoCd,

    /// <summary>Flux (kustomize-controller or helm-controller).</summary>
    Flux,
}

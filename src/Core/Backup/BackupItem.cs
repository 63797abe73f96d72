using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>One object on its way into a backup.</summary>
public sealed class BackupItem(ApiResource resource, KubeObject obj)
{
    /// <summary>Its resource type.</summary>
    public ApiResource Resource { get; } = resource;

    /// <summary>The object; actions may change it.</summary>
    public KubeObject Object { get; } = obj;

    /// <summary>Its GitOps owner, once classified.</summary>
    public GitOpsOwner? GitOps { get; set; }
}

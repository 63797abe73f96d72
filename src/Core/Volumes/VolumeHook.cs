using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// An entry of <c>volumes.hooks</c>: commands run in the selected pods before and after the snapshots of the claims they
/// mount (to flush and freeze an application, and to thaw it).
/// </summary>
public sealed record VolumeHook
{
    /// <summary>The hook's name, for reports (<c>policy hook NAME</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The pods' namespace; null for every namespace in scope.</summary>
    public string? Namespace { get; init; }

    /// <summary>Which pods.</summary>
    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>The container; null for the pod's first container (as Velero).</summary>
    public string? Container { get; init; }

    /// <summary>Run before the snapshots, in order.</summary>
    public IReadOnlyList<HookCommand> Pre { get; init; } = [];

    /// <summary>Run after the snapshots are cut, in order — always, once the pre hooks ran.</summary>
    public IReadOnlyList<HookCommand> Post { get; init; } = [];

    /// <summary>Whether the hook is for <paramref name="pod"/>.</summary>
    public bool AppliesTo(KubeObject pod) =>
        (Namespace is null || Namespace == pod.Namespace) && Selector.Matches(pod.Labels);
}

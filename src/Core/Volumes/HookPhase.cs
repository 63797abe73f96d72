namespace Strata.Core.Volumes;

/// <summary>When a hook runs.</summary>
public enum HookPhase
{
    /// <summary>Before the snapshots of the pod's volumes.</summary>
    Pre,

    /// <summary>After them, once the pre hooks ran, whether the snapshots succeeded or not.</summary>
    Post,
}

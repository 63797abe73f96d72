namespace Strata.Core.Volumes;

/// <summary>What a failed hook does to its snapshot (Velero's <c>on-error</c>).</summary>
public enum HookErrorMode
{
    /// <summary>The snapshots of the pod's volumes are not taken (pre hook) or are reported failed (post hook); the rest of the backup goes on.</summary>
    Fail,

    /// <summary>Recorded as a warning; the snapshots go on.</summary>
    Continue,
}

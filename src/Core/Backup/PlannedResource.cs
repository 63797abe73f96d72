using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>A resource type and how it is captured.</summary>
public sealed record PlannedResource(ApiResource Resource, CaptureMode Mode)
{
    /// <summary>Whether it waits for the namespaced objects (to know what they need).</summary>
    public bool DependsOnCapturedObjects => Mode is CaptureMode.Needed or CaptureMode.FullAndNeeded;
}

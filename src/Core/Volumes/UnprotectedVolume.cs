namespace Strata.Core.Volumes;

/// <summary>A claim in a backup's scope that no snapshot protects, and why — listed, never silently skipped.</summary>
/// <param name="Namespace">The claim's namespace.</param>
/// <param name="Claim">The claim's name.</param>
/// <param name="StorageClass">Its StorageClass, when it has one.</param>
/// <param name="Driver">Its CSI driver, when known.</param>
/// <param name="Reason">Why: no VolumeSnapshotClass for the driver, not a CSI volume, not bound, …</param>
public sealed record UnprotectedVolume(string Namespace, string Claim, string? StorageClass, string? Driver, string Reason)
{
    /// <summary>For messages: <c>ns/pvc</c>.</summary>
    public string Qualified => $"{Namespace}/{Claim}";
}

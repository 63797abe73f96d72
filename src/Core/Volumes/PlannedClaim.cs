using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>A claim the volume layer will snapshot: bound to a CSI volume, with the VolumeSnapshotClass to take it with.</summary>
/// <param name="Claim">The claim as read.</param>
/// <param name="Driver">Its volume's CSI driver.</param>
/// <param name="StorageClass">Its StorageClass.</param>
/// <param name="VolumeSnapshotClass">The VolumeSnapshotClass (always named in the VolumeSnapshot).</param>
internal sealed record PlannedClaim(KubeObject Claim, string Driver, string? StorageClass, string VolumeSnapshotClass)
{
    public string Namespace => Claim.Namespace ?? "";

    public string Name => Claim.Name;

    /// <summary>For messages: <c>ns/pvc</c>.</summary>
    public string Qualified => $"{Namespace}/{Name}";
}

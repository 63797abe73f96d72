namespace Strata.Core.Volumes;

/// <summary>
/// An entry of <c>volumes.classes</c>: the VolumeSnapshotClass for the claims of one StorageClass, or of one CSI driver.
/// Exactly one of <see cref="StorageClass"/> and <see cref="Driver"/> is set.
/// </summary>
public sealed record SnapshotClassRule
{
    /// <summary>The claims' StorageClass (<c>spec.storageClassName</c>) this rule is for.</summary>
    public string? StorageClass { get; init; }

    /// <summary>The claims' CSI driver (their volume's <c>spec.csi.driver</c>) this rule is for.</summary>
    public string? Driver { get; init; }

    /// <summary>The VolumeSnapshotClass their snapshots are taken with.</summary>
    public required string VolumeSnapshotClassName { get; init; }

    /// <summary>Where the rule is in strata.yaml (<c>volumes.classes[0]</c>), for messages about the class it names.</summary>
    public string Field { get; init; } = "volumes.classes";

    /// <summary>Whether the rule is for a claim of <paramref name="storageClass"/> on <paramref name="driver"/>.</summary>
    public bool AppliesTo(string? storageClass, string driver) =>
        StorageClass is { } wanted ? wanted == storageClass : Driver == driver;
}

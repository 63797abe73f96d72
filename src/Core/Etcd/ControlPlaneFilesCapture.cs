using Strata.Core.Artifacts;

namespace Strata.Core.Etcd;

/// <summary>What <see cref="ControlPlaneFiles"/> took: each node's committed tar, or why none was taken.</summary>
/// <param name="Records">One record per node whose files were committed, by node name.</param>
/// <param name="Artifacts">The committed tars, for the manifest's list.</param>
/// <param name="Off">
/// Why the files were not taken at all although the policy names them (no <c>allowUnencryptedKeys</c>), for
/// <see cref="EtcdLayerRecord.ControlPlaneFilesOff"/>; null when they were tried.
/// </param>
public sealed record ControlPlaneFilesCapture(IReadOnlyList<ControlPlaneFilesRecord> Records, IReadOnlyList<ArtifactEntry> Artifacts, string? Off);

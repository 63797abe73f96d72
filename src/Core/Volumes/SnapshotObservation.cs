using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>How a wait for a VolumeSnapshot ended.</summary>
/// <param name="Latest">The snapshot as last read; null when it was never read.</param>
/// <param name="End">Why the wait ended.</param>
/// <param name="Problem">What went wrong when it could not be read.</param>
internal sealed record SnapshotObservation(KubeObject? Latest, SnapshotWaitEnd End, string? Problem = null);

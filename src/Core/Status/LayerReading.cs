namespace Strata.Core.Status;

/// <summary>
/// One layer of one (cluster, policy) as the metrics report it: when it last succeeded and was last proven, how big its
/// last success was, whether its own last verified backup breaches the policy's RPO, and how long its last drill took.
/// </summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Layer">The layer (<see cref="BackupLayers"/>' names).</param>
/// <param name="LastSuccess">
/// The recovery point of the newest committed backup whose artifacts hold the layer and recorded no error in it (a backup
/// that failed verification is no success); null when there is none.
/// </param>
/// <param name="LastVerified">The recovery point of the newest verified, unexpired backup whose artifacts hold the layer; null when there is none.</param>
/// <param name="Bytes">The layer's artifact bytes in the <paramref name="LastSuccess"/> backup.</param>
/// <param name="Breached">
/// The policy's recovery-point objective judged on <paramref name="LastVerified"/> by the pair's own rule
/// (<see cref="Freshness.RecoveryPointObjectives.StateOf"/>): a layer that keeps failing while the rest verifies breaches alone.
/// </param>
/// <param name="DrillRtoSeconds">The RTO of the layer measured by the newest drill that measured it (<see cref="FleetReadings.DrillRtoByLayer"/>).</param>
public sealed record LayerReading(
    string Cluster, string Policy, string Layer, DateTimeOffset? LastSuccess, DateTimeOffset? LastVerified, long? Bytes, bool Breached = false, double? DrillRtoSeconds = null);

namespace Strata.Core.Status;

/// <summary>One configured (cluster, policy) as the metrics report it.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Breached">The recovery-point objective is breached (the freshness timer's judgement).</param>
/// <param name="RpoSeconds">The recovery-point objective, when the policy sets one.</param>
/// <param name="LastDurationSeconds">Start to end of the newest committed backup.</param>
/// <param name="Objects">API objects in the newest committed backup whose objects layer succeeded.</param>
/// <param name="LastDrillRtoSeconds">The RTO the newest drill that measured one measured (a passed, non-dry-run drill).</param>
/// <param name="RtoObjectiveSeconds">The RTO objective that drill ran under, when the policy sets one.</param>
public sealed record PairReading(
    string Cluster, string Policy, bool Breached, double? RpoSeconds, double? LastDurationSeconds, long? Objects, double? LastDrillRtoSeconds, double? RtoObjectiveSeconds);

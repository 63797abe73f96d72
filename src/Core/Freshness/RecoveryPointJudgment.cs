using Strata.Core.Runs;

namespace Strata.Core.Freshness;

/// <summary>One (policy, cluster) judged on its last verified backup.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Cluster">The cluster.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Objective">The policy's recovery-point objective, if it sets one.</param>
/// <param name="LastVerified">The newest verified backup, if any.</param>
/// <param name="Age">How old that backup's recovery point is (from when its capture ended).</param>
public sealed record RecoveryPointJudgment(string Policy, string Cluster, RecoveryPointState State, TimeSpan? Objective, BackupRecord? LastVerified, TimeSpan? Age)
{
    /// <summary>The dedup key of this pair's RPO alert: one incident per (policy, cluster), resolved by the next verified backup.</summary>
    public string DedupKey => RecoveryPointObjectives.DedupKey(Policy, Cluster);
}

namespace Strata.Core.Status;

/// <summary>
/// How recoverable a (cluster, policy) pair is, as the status page colours its cell: the verdict that matters to someone
/// who may have to restore today. <see cref="RecoverabilityRules"/> decides it from the RPO judgment.
/// </summary>
public enum Recoverability
{
    /// <summary>A verified backup within the recovery-point objective (or verified, and the policy sets none).</summary>
    Fresh,

    /// <summary>Verified, but past <see cref="Freshness.RecoveryPointObjectives.AtRiskFraction"/> of the objective: the next backup must succeed.</summary>
    AtRisk,

    /// <summary>The objective is breached: the last verified backup is too old, or runs have failed for longer than it allows.</summary>
    Breached,

    /// <summary>No verified backup yet: nothing proves the pair can be restored.</summary>
    NeverProven,

    /// <summary>The policy does not cover the cluster.</summary>
    None,
}

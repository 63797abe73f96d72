namespace Strata.Core.Freshness;

/// <summary>Where a (policy, cluster) stands against its recovery-point objective.</summary>
public enum RecoveryPointState
{
    /// <summary>The last verified backup is well within the objective.</summary>
    Ok,

    /// <summary>Within the objective, but past <see cref="RecoveryPointObjectives.AtRiskFraction"/> of it: the next backup must succeed.</summary>
    AtRisk,

    /// <summary>The last verified backup is older than the objective (or there is none, and runs have been failing for longer).</summary>
    Breached,

    /// <summary>No verified backup yet, and the pair is younger than its objective: nothing to judge.</summary>
    Pending,

    /// <summary>The policy sets no objective.</summary>
    NoObjective,
}

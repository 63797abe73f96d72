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

    /// <summary>No verified backup yet: the pair is younger than its objective, or a complete backup within it waits for verification.</summary>
    Pending,

    /// <summary>The policy sets no objective.</summary>
    NoObjective,
}

using Strata.Core.Freshness;

namespace Strata.Core.Status;

/// <summary>
/// The one place a pair's <see cref="Recoverability"/> is decided, as a table with a reason per row: from the RPO
/// judgment the freshness timer alerts on (<see cref="RecoveryPointObjectives"/>) and whether a verified backup exists.
/// Every (state, verified) combination has exactly one row, including the two the judgment cannot produce.
/// </summary>
public static class RecoverabilityRules
{
    /// <summary>The rules, one per combination.</summary>
    public static IReadOnlyList<RecoverabilityRule> Table { get; } =
    [
        new(RecoveryPointState.Ok, true, Recoverability.Fresh, "verified, and within the RPO"),
        new(RecoveryPointState.NoObjective, true, Recoverability.Fresh, "verified; the policy sets no RPO"),
        new(RecoveryPointState.AtRisk, true, Recoverability.AtRisk, "verified, but past three quarters of the RPO: the next backup must succeed"),
        new(RecoveryPointState.Breached, true, Recoverability.Breached, "the last verified backup is older than the RPO"),

        // Breached wins over never-proven: the freshness timer has raised its alert, and the page agrees with the alert.
        new(RecoveryPointState.Breached, false, Recoverability.Breached, "no verified backup, and runs have failed for longer than the RPO"),
        new(RecoveryPointState.Pending, false, Recoverability.NeverProven, "no verified backup yet (the pair is younger than its RPO, or its backup waits for verification)"),
        new(RecoveryPointState.NoObjective, false, Recoverability.NeverProven, "no verified backup yet; the policy sets no RPO"),

        // The judgment gives Ok and AtRisk only with a verified backup, and Pending only without one; these rows keep the
        // table total, each with the reading that claims no more than the facts.
        new(RecoveryPointState.Ok, false, Recoverability.NeverProven, "no verified backup"),
        new(RecoveryPointState.AtRisk, false, Recoverability.NeverProven, "no verified backup"),
        new(RecoveryPointState.Pending, true, Recoverability.Fresh, "verified; the RPO judgment is pending"),
    ];

    /// <summary>The rule for a pair in <paramref name="rpoState"/> that has (<paramref name="verified"/>) a verified backup or not.</summary>
    public static RecoverabilityRule For(RecoveryPointState rpoState, bool verified) =>
        Table.Single(r => r.RpoState == rpoState && r.Verified == verified);

    /// <summary>The rule for a row of the status report.</summary>
    public static RecoverabilityRule For(ProtectionStatus row) => For(row.RpoState, row.LastVerified is not null);

    /// <summary>The name the page's contract gives <paramref name="state"/> (<c>fresh</c>, <c>at-risk</c>, <c>breached</c>, <c>never-proven</c>, <c>none</c>).</summary>
    public static string Name(Recoverability state) => state switch
    {
        Recoverability.Fresh => "fresh",
        Recoverability.AtRisk => "at-risk",
        Recoverability.Breached => "breached",
        Recoverability.NeverProven => "never-proven",
        _ => "none",
    };
}

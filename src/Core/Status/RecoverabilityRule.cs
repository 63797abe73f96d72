using Strata.Core.Freshness;

namespace Strata.Core.Status;

/// <summary>One row of <see cref="RecoverabilityRules.Table"/>: a pair's RPO state and whether it has a verified backup, the verdict, and why.</summary>
/// <param name="RpoState">Where the pair stands against its recovery-point objective.</param>
/// <param name="Verified">Whether the pair has a verified backup.</param>
/// <param name="Result">The verdict the page shows.</param>
/// <param name="Reason">Why, in the words the page and docs/status-page.md use.</param>
public sealed record RecoverabilityRule(RecoveryPointState RpoState, bool Verified, Recoverability Result, string Reason);

namespace Strata.Core.Volumes;

/// <summary>What the planner made of one claim: snapshot it, or list it unprotected (with an error when the configuration is at fault).</summary>
/// <param name="Planned">The claim to snapshot; null when it is unprotected.</param>
/// <param name="Unprotected">Why no snapshot protects it; null when one will.</param>
/// <param name="Error">An error to report for it (a class named in strata.yaml that the cluster lacks or that is for another driver); null for a plain warning.</param>
/// <param name="ErrorReason">The error's reason (<see cref="Results.ProblemReasons"/>).</param>
internal sealed record ClaimVerdict(PlannedClaim? Planned, UnprotectedVolume? Unprotected, string? Error = null, string? ErrorReason = null);

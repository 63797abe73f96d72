namespace Strata.Core.Retention;

/// <summary>The verdict on one backup, and why.</summary>
public sealed record RetentionDecision(string Id, RetentionVerdict Verdict, string Reason, DateTimeOffset? LockedUntil = null);

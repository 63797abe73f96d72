namespace Strata.Core.Retention;

/// <summary>One backup as retention sees it.</summary>
/// <param name="Id">The backup id.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Good">Committed and not known to be damaged (succeeded, partially failed, or verified).</param>
/// <param name="InProgress">Still running: never touched.</param>
/// <param name="RetainUntil">Until when its artifacts are write-once, if they are.</param>
/// <param name="Verified">Proven by verification: what <see cref="RetentionRules.MinVerifiedKept"/> counts.</param>
public sealed record RetentionCandidate(string Id, DateTimeOffset StartedAt, bool Good, bool InProgress = false, DateTimeOffset? RetainUntil = null, bool Verified = false);

namespace Strata.Core.Retention;

/// <summary>One backup as retention sees it.</summary>
/// <param name="Id">The backup id.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Good">Committed and usable (succeeded or partially failed); later, verified.</param>
/// <param name="InProgress">Still running: never touched.</param>
/// <param name="RetainUntil">Until when its artifacts are write-once, if they are.</param>
public sealed record RetentionCandidate(string Id, DateTimeOffset StartedAt, bool Good, bool InProgress = false, DateTimeOffset? RetainUntil = null);

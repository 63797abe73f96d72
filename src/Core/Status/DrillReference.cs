using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>A restore drill as the status page points at it.</summary>
/// <param name="Id">The drill id.</param>
/// <param name="Status">How it ended (or that it is running).</param>
/// <param name="At">When it started.</param>
/// <param name="RtoSeconds">Its measured RTO, when it passed (a dry run has none).</param>
/// <param name="ExceededObjective">Whether it passed slower than the policy's RTO objective.</param>
public sealed record DrillReference(string Id, DrillStatus Status, DateTimeOffset At, double? RtoSeconds, bool ExceededObjective);

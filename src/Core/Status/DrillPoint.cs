namespace Strata.Core.Status;

/// <summary>A restore drill that measured an RTO, as a point of the page's RTO chart.</summary>
/// <param name="Id">The drill id.</param>
/// <param name="At">When it started.</param>
/// <param name="RtoSeconds">Its measured RTO.</param>
/// <param name="ObjectiveSeconds">The policy's RTO objective when it ran, if any.</param>
/// <param name="ExceededObjective">It passed, slower than the objective.</param>
public sealed record DrillPoint(string Id, DateTimeOffset At, double RtoSeconds, double? ObjectiveSeconds, bool ExceededObjective);

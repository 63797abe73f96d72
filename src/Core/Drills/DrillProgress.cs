namespace Strata.Core.Drills;

/// <summary>How far a drill is.</summary>
/// <param name="Phase"><c>restoring</c>, <c>waiting</c>, <c>cleaning up</c> or <c>done</c>.</param>
/// <param name="Elapsed">Time since the drill started.</param>
/// <param name="Done">Objects applied (restoring) or assertions met (waiting).</param>
/// <param name="Total">Objects to apply, or assertions (0 while unknown).</param>
/// <param name="Detail">The first assertion still pending and what it saw, or the restore's tier.</param>
public sealed record DrillProgress(string Phase, TimeSpan Elapsed, long Done, long Total, string? Detail = null);

namespace Strata.Core.Drills;

/// <summary>A drill that cannot go on (nothing to restore, a scratch name already taken); recorded as failed with this reason.</summary>
internal sealed class DrillAbortedException(string message) : Exception(message);

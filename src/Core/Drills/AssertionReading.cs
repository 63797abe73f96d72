namespace Strata.Core.Drills;

/// <summary>One look at an object for an assertion: where it stands, and what was seen (for the report).</summary>
/// <param name="State">Pending, met or failed.</param>
/// <param name="Seen">What the object showed, in kubectl's words where kubectl has them.</param>
public readonly record struct AssertionReading(AssertionState State, string Seen)
{
    /// <summary>Not yet, having seen <paramref name="seen"/>.</summary>
    public static AssertionReading Pending(string seen) => new(AssertionState.Pending, seen);

    /// <summary>Holds, having seen <paramref name="seen"/>.</summary>
    public static AssertionReading Met(string seen) => new(AssertionState.Met, seen);

    /// <summary>Will not hold, having seen <paramref name="seen"/>.</summary>
    public static AssertionReading Failed(string seen) => new(AssertionState.Failed, seen);
}

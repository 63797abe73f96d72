namespace Strata.TestKit;

/// <summary>A clock the test moves by hand. Timers still run on real time (retries and delays behave as in production).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Sets the clock.</summary>
    public void Set(DateTimeOffset now) => _now = now;
}

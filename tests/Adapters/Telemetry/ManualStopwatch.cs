namespace Strata.Adapters.Tests.Telemetry;

/// <summary>A stopwatch (elapsed time only) the test moves; timers stay real.</summary>
public sealed class ManualStopwatch : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
}

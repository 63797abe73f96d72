namespace Strata.TestKit;

public sealed partial class FleetWorld
{
    /// <summary>
    /// A clock that reads <c>start</c> plus the real time elapsed since it was made, with real timers: what a drill
    /// waits for on the sandbox's controllers (real time) is measured, and lands on the world's time line.
    /// </summary>
    private sealed class RunningClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = System.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_started);
    }
}

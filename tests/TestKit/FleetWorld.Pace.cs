namespace Strata.TestKit;

public sealed partial class FleetWorld
{
    /// <summary>
    /// The clock of prod-eu's simulated controllers: real time, slowed from the moment <see cref="Set"/> is called by its
    /// factor, so the same rollout takes longer — a cluster that rolls out slower on one day than another, and drills
    /// with distinct RTOs. Its timers are real; the controllers poll its time.
    /// </summary>
    private sealed class Pace : TimeProvider
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _anchor = System.GetUtcNow();
        private long _anchoredAt = System.GetTimestamp();
        private double _slowdown = 1;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate)
            {
                return _anchor + (System.GetElapsedTime(_anchoredAt) / _slowdown);
            }
        }

        /// <summary>From now on, a second of this clock takes <paramref name="slowdown"/> real seconds.</summary>
        public void Set(double slowdown)
        {
            lock (_gate)
            {
                _anchor += System.GetElapsedTime(_anchoredAt) / _slowdown;
                _anchoredAt = System.GetTimestamp();
                _slowdown = slowdown;
            }
        }
    }
}

using Strata.Core.Status;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// One <see cref="FleetReadings"/> for all the gauges of one collect. Each gauge's callback asks on its own, and a read can
/// land between two of them: without a pin one scrape would show a pair's breach from one reading beside its timestamps
/// from the next. A collect calls each instrument once, so the first instrument that asks again starts the next collect,
/// which takes the reading anew; the others reuse the one taken by the first callback of their collect.
/// </summary>
internal sealed class ReadingPerCollect(Func<FleetReadings?> current)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private FleetReadings? _pinned;

    /// <summary>The reading of the collect that <paramref name="instrument"/>'s callback is part of.</summary>
    public FleetReadings? For(string instrument)
    {
        lock (_gate)
        {
            if (_asked.Count == 0 || !_asked.Add(instrument))
            {
                // The first gauge of a collect. Holding the gate while it reads is what keeps the others on this reading;
                // the wait is bounded (one read timeout per read, shared).
                _asked.Clear();
                _asked.Add(instrument);
                _pinned = current();
            }

            return _pinned;
        }
    }
}

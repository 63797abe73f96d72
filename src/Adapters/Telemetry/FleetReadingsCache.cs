using Strata.Core.Status;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// The latest <see cref="FleetReadings"/>, read again when older than a maximum age — on demand (a scrape or an export),
/// so an idle process reads nothing, and at most one read at a time. Gauge callbacks are synchronous: a stale reading
/// is refreshed with a bounded wait, after which the previous one answers while the read goes on. A failed read keeps the
/// previous reading (a timestamp gauge ages on its own; the alert rules see it) and is retried after the maximum age.
/// </summary>
internal sealed class FleetReadingsCache(Func<CancellationToken, Task<FleetReadings>> read, TimeSpan maxAge, TimeSpan wait, TimeProvider stopwatch)
{
    private readonly Lock _gate = new();
    private FleetReadings? _current;
    private long? _readAt;
    private Task<FleetReadings>? _reading;

    /// <summary>Why the last read failed, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>The reading, fresh within the maximum age where the history answers in time; null before any read succeeded.</summary>
    public FleetReadings? Current()
    {
        Task<FleetReadings> reading;
        lock (_gate)
        {
            if (_readAt is { } at && stopwatch.GetElapsedTime(at) < maxAge)
            {
                return _current;
            }

            reading = _reading ??= Task.Run(() => read(CancellationToken.None));
        }

        try
        {
            reading.Wait(wait);
        }
        catch (AggregateException)
        {
            // Recorded below.
        }

        lock (_gate)
        {
            if (reading.IsCompleted && ReferenceEquals(_reading, reading))
            {
                _reading = null;
                _readAt = stopwatch.GetTimestamp();
                if (reading.IsCompletedSuccessfully)
                {
                    _current = reading.Result;
                    LastError = null;
                }
                else
                {
                    LastError = reading.Exception?.GetBaseException().Message ?? "cancelled";
                }
            }

            return _current;
        }
    }
}

using Strata.Core.Status;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// The latest <see cref="FleetReadings"/>, read again when older than a maximum age — on demand (a scrape or an export),
/// so an idle process reads nothing, and at most one read at a time. A read gets one bounded wait, shared: its answer-by
/// moment is fixed when it starts, and every caller (the nine gauge callbacks of one collect, a scrape's refresh before
/// them, a second scraper) waits only until then, so a collect never waits more than once however many gauges ask. After
/// it the previous reading answers while the read goes on. A failed read keeps the previous reading — its time
/// (<see cref="FleetReadings.At"/>, exported as a gauge) stops advancing, which the alert rules see — and is retried after
/// the maximum age.
/// </summary>
internal sealed class FleetReadingsCache(Func<CancellationToken, Task<FleetReadings>> read, TimeSpan maxAge, TimeSpan wait, TimeProvider stopwatch)
{
    private readonly Lock _gate = new();
    private FleetReadings? _current;
    private long? _readAt;
    private Task<FleetReadings>? _reading;
    private Task? _answerBy;

    /// <summary>Why the last read failed, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Reads the history when the reading is stale, waiting (asynchronously) no later than the read's answer-by moment:
    /// what a scrape does once before it collects, so that the gauge callbacks find the reading ready.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (Stale() is { } answerBy)
        {
            await answerBy.WaitAsync(cancellationToken);
            Settle();
        }
    }

    /// <summary>The reading, fresh within the maximum age where the history answers in time; null before any read succeeded.</summary>
    public FleetReadings? Current()
    {
        // Synchronous (a gauge callback), but bounded by the read's one answer-by moment, not a wait of its own.
        Stale()?.Wait();
        return Settle();
    }

    /// <summary>When the reading is stale: the in-flight read's answer-by task (starting the read if none is running); else null.</summary>
    private Task? Stale()
    {
        lock (_gate)
        {
            if (_readAt is { } at && stopwatch.GetElapsedTime(at) < maxAge)
            {
                return null;
            }

            if (_reading is null)
            {
                _reading = Task.Run(() => read(CancellationToken.None));
                _answerBy = Task.WhenAny(_reading, Task.Delay(wait));
            }

            return _answerBy;
        }
    }

    /// <summary>Takes the read's result when it has ended; returns the reading.</summary>
    private FleetReadings? Settle()
    {
        lock (_gate)
        {
            if (_reading is { IsCompleted: true } reading)
            {
                _reading = null;
                _answerBy = null;
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

using Strata.Core.Status;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// The latest <see cref="FleetReadings"/>, read again when older than a maximum age — on demand (a scrape or an export),
/// so an idle process reads nothing, and at most one read at a time. A read gets one bounded wait, shared: its answer-by
/// moment is fixed when it starts, and every caller (a scrape's refresh, the gauge callbacks of a collect, a second
/// scraper) waits only until then, so a collect never waits more than once however many gauges ask. After it the previous
/// reading answers while the read goes on. A read has a deadline too: its token is cancelled then, and a read still not
/// ended at its deadline (one that ignores its token, a connection that hangs) is abandoned and counts as failed — else a
/// hung read would stop every later one and freeze the metrics until a restart. A failed read keeps the previous reading —
/// its time (<see cref="FleetReadings.At"/>, exported as a gauge) stops advancing, which the alert rules see — and is
/// retried after the maximum age. Every wait and deadline runs on the given <see cref="TimeProvider"/>.
/// </summary>
internal sealed class FleetReadingsCache(
    Func<CancellationToken, Task<FleetReadings>> read, TimeSpan maxAge, TimeSpan wait, TimeSpan deadline, TimeProvider time)
{
    private readonly Lock _gate = new();
    private FleetReadings? _current;
    private long? _readAt;
    private Task<FleetReadings>? _reading;
    private CancellationTokenSource? _cancel;
    private long _startedAt;
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
            SettleLocked(); // a read past its deadline ends here, so that it cannot hold back the next one
            if (_readAt is { } at && time.GetElapsedTime(at) < maxAge)
            {
                return null;
            }

            if (_reading is null)
            {
                _cancel = new CancellationTokenSource(deadline, time);
                var token = _cancel.Token;
                _startedAt = time.GetTimestamp();
                _reading = Task.Run(() => read(token), CancellationToken.None);
                _answerBy = Task.WhenAny(_reading, Task.Delay(wait < deadline ? wait : deadline, time));
            }

            return _answerBy;
        }
    }

    /// <summary>Takes the read's result when it has ended (or abandons it at its deadline); returns the reading.</summary>
    private FleetReadings? Settle()
    {
        lock (_gate)
        {
            SettleLocked();
            return _current;
        }
    }

    private void SettleLocked()
    {
        if (_reading is not { } reading)
        {
            return;
        }

        var late = time.GetElapsedTime(_startedAt) >= deadline;
        if (!reading.IsCompleted && !late)
        {
            return;
        }

        if (reading.IsCompletedSuccessfully)
        {
            _current = reading.Result;
            LastError = null;
        }
        else
        {
            LastError = reading.IsFaulted
                ? reading.Exception.GetBaseException().Message
                : $"reading the run history took longer than {deadline.TotalSeconds:0.###} s; abandoned";
        }

        if (!reading.IsCompleted)
        {
            _cancel!.Cancel(); // an abandoned read is told to stop; one that ignores it is left to end on its own, unheard
        }

        _cancel!.Dispose();
        _cancel = null;
        _reading = null;
        _answerBy = null;
        _readAt = time.GetTimestamp();
    }
}

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>
/// Elapsed time the test moves: <see cref="GetTimestamp"/> and the timers behind <c>Task.Delay(…, time)</c> and a
/// <see cref="CancellationTokenSource"/>'s deadline. A timer fires when <see cref="Advance"/> reaches its due time (at once
/// when due now), never on the wall clock, so what a test asserts about waits does not depend on how loaded the machine is.
/// </summary>
public sealed class ManualStopwatch : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _now;
    private int _created;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers created so far: how many waits and deadlines were started.</summary>
    public int TimersCreated
    {
        get
        {
            lock (_gate)
            {
                return _created;
            }
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the time on, firing (on the thread pool) every timer that falls due.</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by.Ticks;
            due = [.. _timers.Where(t => t.DueAt <= _now)];
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _created++;
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        bool now;
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            now = dueTime <= TimeSpan.Zero;
            if (!now)
            {
                timer.DueAt = _now + dueTime.Ticks;
                _timers.Add(timer);
            }
        }

        if (now)
        {
            timer.Fire();
        }
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A one-shot timer (periods are not repeated: nothing here uses them).</summary>
    private sealed class ManualTimer(ManualStopwatch owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public void Fire() => ThreadPool.QueueUserWorkItem(_ => callback(state));

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Dispose() => owner.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

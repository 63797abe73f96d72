namespace Strata.Sandbox.Controllers;

/// <summary>
/// The work queue of the simulated controllers, with <c>AddAfter</c> as client-go's delaying queue.
/// Work due now runs at once on the caller's thread, after any work that thread is already running
/// (so a controller never re-enters itself, and a write with zero delays is settled before it
/// returns). Delayed work is picked up by a loop that polls <see cref="TimeProvider"/> while any is
/// pending: on a clock a test moves, it waits for the test to move it.
/// </summary>
internal sealed class ControllerQueue(TimeProvider time, CancellationToken stopping)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    [ThreadStatic]
    private static Queue<Action>? _running;

    private readonly Lock _gate = new();
    private readonly PriorityQueue<Action, (DateTimeOffset Due, long Order)> _delayed = new();
    private long _order;
    private Task? _loop;

    public void AddAfter(TimeSpan delay, Action work)
    {
        if (delay <= TimeSpan.Zero)
        {
            RunNow(work);
            return;
        }

        lock (_gate)
        {
            _delayed.Enqueue(work, (time.GetUtcNow() + delay, _order++));
            _loop ??= Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    /// <summary>Completes when the loop has stopped (after <c>stopping</c> is cancelled).</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return _loop ?? Task.CompletedTask;
        }
    }

    private static void RunNow(Action work)
    {
        if (_running is { } running)
        {
            running.Enqueue(work);
            return;
        }

        _running = new Queue<Action>([work]);
        try
        {
            while (_running.TryDequeue(out var next))
            {
                try
                {
                    next();
                }
                catch (Exception)
                {
                    // A controller's failed reconcile leaves the object as it was, as a real one
                    // that gives up on an item would; the sandbox must keep serving.
                }
            }
        }
        finally
        {
            _running = null;
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(Tick, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var due = new List<Action>();
            lock (_gate)
            {
                var now = time.GetUtcNow();
                while (_delayed.TryPeek(out var work, out var at) && at.Due <= now)
                {
                    _delayed.Dequeue();
                    due.Add(work);
                }

                if (due.Count == 0 && _delayed.Count == 0)
                {
                    _loop = null;
                    return;
                }
            }

            foreach (var work in due)
            {
                RunNow(work);
            }
        }
    }
}

using Strata.Adapters.Telemetry;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>The metrics' reading of the history: at most one read per maximum age, one at a time, never stuck on a slow one.</summary>
public sealed class FleetReadingsCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    private readonly ManualStopwatch _stopwatch = new();

    private static FleetReadings Reading(int n) => new(DateTimeOffset.UnixEpoch.AddSeconds(n), [], []);

    [Fact]
    public void Current_WithinTheMaximumAge_ReadsTheHistoryOnce_HoweverOftenItIsAsked()
    {
        var reads = 0;
        var cache = new FleetReadingsCache(_ => Task.FromResult(Reading(++reads)), MaxAge, TimeSpan.FromSeconds(10), Deadline, _stopwatch);

        var first = Enumerable.Range(0, 9).Select(_ => cache.Current()).ToList(); // nine gauges, one scrape
        _stopwatch.Advance(TimeSpan.FromSeconds(29));
        var stillFresh = cache.Current();
        _stopwatch.Advance(TimeSpan.FromSeconds(2));
        var next = cache.Current();

        Assert.All(first, r => Assert.Equal(Reading(1).At, r!.At));
        Assert.Equal(Reading(1).At, stillFresh!.At);
        Assert.Equal((Reading(2).At, 2), (next!.At, reads));
    }

    [Fact]
    public void Current_AFailedRead_KeepsThePreviousReading_SaysWhy_AndRetriesAfterTheMaximumAge()
    {
        var fail = false;
        var cache = new FleetReadingsCache(_ => fail ? throw new IOException("history unreachable") : Task.FromResult(Reading(1)), MaxAge, TimeSpan.FromSeconds(10), Deadline, _stopwatch);
        var good = cache.Current();

        fail = true;
        _stopwatch.Advance(MaxAge);
        var kept = cache.Current();
        var error = cache.LastError;
        fail = false;
        _stopwatch.Advance(MaxAge);
        var retried = cache.Current();

        Assert.Same(good, kept);
        Assert.Equal("history unreachable", error);
        Assert.Null(cache.LastError);
        Assert.NotSame(good, retried);
    }

    [Fact]
    public async Task Current_ASlowRead_AnswersThePreviousReading_AndTheReadLandsLater()
    {
        var slow = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        var cache = new FleetReadingsCache(_ => Interlocked.Increment(ref reads) == 1 ? Task.FromResult(Reading(1)) : slow.Task, MaxAge, TimeSpan.Zero, Deadline, _stopwatch);
        var first = await Eventually(cache, r => r is not null); // however long the first read takes to get through Task.Run
        _stopwatch.Advance(MaxAge);

        var whileSlow = cache.Current(); // the read cannot have ended: the test holds it
        var again = cache.Current(); // the same read goes on: no second one
        slow.SetResult(Reading(2));
        var landed = await Eventually(cache, r => r?.At == Reading(2).At);

        Assert.Same(first, whileSlow);
        Assert.Same(first, again);
        Assert.Equal((Reading(2).At, 2), (landed!.At, reads));
    }

    [Fact]
    public async Task Current_ASlowRead_NineGaugesOfOneCollect_WaitOnceBetweenThem_NotEachItsOwnWait()
    {
        var held = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        var wait = TimeSpan.FromSeconds(1);
        var cache = new FleetReadingsCache(_ => Interlocked.Increment(ref reads) == 1 ? Task.FromResult(Reading(1)) : held.Task, MaxAge, wait, Deadline, _stopwatch);
        var first = await Eventually(cache, r => r is not null);
        _stopwatch.Advance(MaxAge);
        var timers = _stopwatch.TimersCreated;

        var collect = Task.Run(() => Enumerable.Range(0, 9).Select(_ => cache.Current()).ToList()); // one collect: nine gauge callbacks
        await Until(() => _stopwatch.TimersCreated == timers + 2); // the read's deadline and its one wait
        var waiting = !collect.IsCompleted; // the held read cannot end, so only the wait can release the collect
        _stopwatch.Advance(wait);
        var gauges = await collect.WaitAsync(TimeSpan.FromMinutes(1)); // each callback waiting on its own would never end
        held.SetResult(Reading(2));

        Assert.True(waiting, "the first callback should give the read its wait");
        Assert.All(gauges, r => Assert.Same(first, r));
        Assert.Equal(2, reads);
        Assert.Equal(timers + 2, _stopwatch.TimersCreated);
    }

    [Fact]
    public async Task RefreshAsync_ASlowRead_WaitsOnce_ThenTheGaugesAnswerWithoutWaiting()
    {
        var held = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var wait = TimeSpan.FromSeconds(1);
        var cache = new FleetReadingsCache(_ => held.Task, MaxAge, wait, Deadline, _stopwatch);

        var refresh = cache.RefreshAsync(CancellationToken.None);
        await Until(() => _stopwatch.TimersCreated == 2);
        var waiting = !refresh.IsCompleted;
        _stopwatch.Advance(wait);
        await refresh.WaitAsync(TimeSpan.FromMinutes(1));
        var collect = await Task.Run(() => Enumerable.Range(0, 9).Select(_ => cache.Current()).ToList()).WaitAsync(TimeSpan.FromMinutes(1));
        held.SetResult(Reading(1));

        Assert.True(waiting, "the refresh should wait for the read");
        Assert.All(collect, Assert.Null); // nothing read yet: no series rather than a wait
        Assert.Equal(2, _stopwatch.TimersCreated); // no wait of the gauges' own after the scrape's refresh had waited already
    }

    [Fact]
    public async Task Current_AReadThatHangsPastItsDeadline_IsAbandonedAsFailed_AndANewReadStartsAfterTheMaximumAge()
    {
        var hung = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously); // never ends, ignores its token
        var token = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        Task<FleetReadings> Hang(CancellationToken ct)
        {
            token.TrySetResult(ct);
            return hung.Task;
        }

        var cache = new FleetReadingsCache(
            ct => Interlocked.Increment(ref reads) switch
            {
                1 => Task.FromResult(Reading(1)),
                2 => Hang(ct),
                var n => Task.FromResult(Reading(n)),
            },
            MaxAge, TimeSpan.Zero, Deadline, _stopwatch);
        var first = await Eventually(cache, r => r is not null);
        _stopwatch.Advance(MaxAge);

        var whileHung = cache.Current();
        var told = await token.Task.WaitAsync(TimeSpan.FromMinutes(1));
        _stopwatch.Advance(Deadline);
        var atDeadline = cache.Current();
        var error = cache.LastError;
        await Until(() => told.IsCancellationRequested);
        _stopwatch.Advance(MaxAge);
        var next = await Eventually(cache, r => r?.At == Reading(3).At);

        Assert.Same(first, whileHung);
        Assert.Same(first, atDeadline);
        Assert.Equal("reading the run history took longer than 60 s; abandoned", error);
        Assert.Equal(3, reads);
        Assert.Null(cache.LastError);
        Assert.False(hung.Task.IsCompleted);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Current_AReadThatHonoursItsToken_IsCancelledAtItsDeadline_AndCountsAsFailed()
    {
        var reads = 0;
        var cache = new FleetReadingsCache(
            ct => Interlocked.Increment(ref reads) == 1 ? Task.FromResult(Reading(1)) : Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => Reading(2), ct, TaskContinuationOptions.None, TaskScheduler.Default),
            MaxAge, TimeSpan.Zero, Deadline, _stopwatch);
        var first = await Eventually(cache, r => r is not null);
        _stopwatch.Advance(MaxAge);
        _ = cache.Current();
        await Until(() => Volatile.Read(ref reads) == 2);

        _stopwatch.Advance(Deadline);
        await Until(() => cache.Current() is not null && cache.LastError is not null);

        Assert.Same(first, cache.Current());
        Assert.Equal("reading the run history took longer than 60 s; abandoned", cache.LastError);
    }

    [Fact]
    public void Current_AFailedRead_KeepsTheTimeOfTheLastGoodReading()
    {
        var fail = false;
        var reads = 0;
        var cache = new FleetReadingsCache(_ => fail ? throw new IOException("history unreachable") : Task.FromResult(Reading(++reads)), MaxAge, TimeSpan.FromSeconds(10), Deadline, _stopwatch);
        var good = cache.Current()!.At;

        fail = true;
        _stopwatch.Advance(MaxAge);
        var afterOneFailure = cache.Current()!.At;
        _stopwatch.Advance(MaxAge);
        var afterTwo = cache.Current()!.At;

        Assert.Equal(good, afterOneFailure);
        Assert.Equal(good, afterTwo);
        Assert.Equal("history unreachable", cache.LastError);
    }

    /// <summary>Polls <paramref name="done"/> until it holds (a minute at most): a background step the test cannot await.</summary>
    private static async Task Until(Func<bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (!done())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the condition did not hold within a minute");
            await Task.Delay(5);
        }
    }

    /// <summary>Asks <paramref name="cache"/> until its reading satisfies <paramref name="done"/> (a minute at most: a loaded machine is slow, never wrong).</summary>
    private static async Task<FleetReadings?> Eventually(FleetReadingsCache cache, Func<FleetReadings?, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            var reading = cache.Current();
            if (done(reading))
            {
                return reading;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "the read did not land within a minute");
            await Task.Delay(20);
        }
    }
}

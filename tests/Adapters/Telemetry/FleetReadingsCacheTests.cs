using Strata.Adapters.Telemetry;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>The metrics' reading of the history: at most one read per maximum age, one at a time, never stuck on a slow one.</summary>
public sealed class FleetReadingsCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ManualStopwatch _stopwatch = new();

    private static FleetReadings Reading(int n) => new(DateTimeOffset.UnixEpoch.AddSeconds(n), [], []);

    [Fact]
    public void Current_WithinTheMaximumAge_ReadsTheHistoryOnce_HoweverOftenItIsAsked()
    {
        var reads = 0;
        var cache = new FleetReadingsCache(_ => Task.FromResult(Reading(++reads)), MaxAge, TimeSpan.FromSeconds(10), _stopwatch);

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
        var cache = new FleetReadingsCache(_ => fail ? throw new IOException("history unreachable") : Task.FromResult(Reading(1)), MaxAge, TimeSpan.FromSeconds(10), _stopwatch);
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
        var cache = new FleetReadingsCache(_ => Interlocked.Increment(ref reads) == 1 ? Task.FromResult(Reading(1)) : slow.Task, MaxAge, TimeSpan.FromMilliseconds(50), _stopwatch);
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
        var cache = new FleetReadingsCache(_ => Interlocked.Increment(ref reads) == 1 ? Task.FromResult(Reading(1)) : held.Task, MaxAge, wait, _stopwatch);
        var first = await Eventually(cache, r => r is not null);
        _stopwatch.Advance(MaxAge);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var collect = Enumerable.Range(0, 9).Select(_ => cache.Current()).ToList(); // one collect: nine gauge callbacks
        var took = clock.Elapsed;
        held.SetResult(Reading(2));

        Assert.All(collect, r => Assert.Same(first, r));
        Assert.Equal(2, reads);
        Assert.True(took >= wait * 0.9, $"the first callback should give the read its wait; the collect took {took}");
        Assert.True(took < wait * 4.5, $"nine callbacks took {took}: each waited on its own (9 × {wait})");
    }

    [Fact]
    public async Task RefreshAsync_ASlowRead_WaitsOnce_ThenTheGaugesAnswerWithoutWaiting()
    {
        var held = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new FleetReadingsCache(_ => held.Task, MaxAge, TimeSpan.FromSeconds(1), _stopwatch);

        await cache.RefreshAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var collect = Enumerable.Range(0, 9).Select(_ => cache.Current()).ToList();
        var took = clock.Elapsed;
        held.SetResult(Reading(1));

        Assert.All(collect, Assert.Null); // nothing read yet: no series rather than a wait
        Assert.True(took < TimeSpan.FromSeconds(0.5), $"the gauges waited {took} after the scrape's refresh had waited already");
    }

    [Fact]
    public void Current_AFailedRead_KeepsTheTimeOfTheLastGoodReading()
    {
        var fail = false;
        var reads = 0;
        var cache = new FleetReadingsCache(_ => fail ? throw new IOException("history unreachable") : Task.FromResult(Reading(++reads)), MaxAge, TimeSpan.FromSeconds(10), _stopwatch);
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

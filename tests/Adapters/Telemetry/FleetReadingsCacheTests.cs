using Strata.Adapters.Telemetry;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>The metrics' reading of the history: at most one read per maximum age, one at a time, never stuck on a slow one.</summary>
public sealed class FleetReadingsCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Ticks _stopwatch = new();

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
        var cache = new FleetReadingsCache(_ => ++reads == 1 ? Task.FromResult(Reading(1)) : slow.Task, MaxAge, TimeSpan.FromMilliseconds(50), _stopwatch);
        var first = cache.Current();
        _stopwatch.Advance(MaxAge);

        var whileSlow = cache.Current();
        var again = cache.Current(); // the same read goes on: no second one
        slow.SetResult(Reading(2));
        await slow.Task;
        var landed = cache.Current();

        Assert.Same(first, whileSlow);
        Assert.Same(first, again);
        Assert.Equal((Reading(2).At, 2), (landed!.At, reads));
    }

    /// <summary>A stopwatch the test moves.</summary>
    private sealed class Ticks : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }
}

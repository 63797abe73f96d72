using System.Diagnostics.Metrics;
using Strata.Adapters.Telemetry;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>The gauges over the history's readings: one collect, one reading.</summary>
[Collection(MeterCollection.Name)]
public sealed class StrataMetricsTests
{
    private readonly ManualStopwatch _stopwatch = new();

    /// <summary>Reading number <paramref name="n"/>: every value it gives a gauge is <paramref name="n"/>.</summary>
    private static FleetReadings Reading(int n) => new(
        DateTimeOffset.UnixEpoch.AddSeconds(n),
        [new PairReading("prod", "hourly", n % 2 == 1, n, n, n, n, n)],
        [new LayerReading("prod", "hourly", BackupLayers.Objects, DateTimeOffset.UnixEpoch.AddSeconds(n), DateTimeOffset.UnixEpoch.AddSeconds(n), n)]);

    [Fact]
    public void Collect_AReadLandsBetweenTwoGauges_EveryGaugeOfTheCollectShowsTheSameReading()
    {
        // A maximum age of zero makes every gauge callback find the reading stale and a new read land before the next one
        // asks: the most a read can land mid-collect.
        var reads = 0;
        using var metrics = new StrataMetrics(_ => Task.FromResult(Reading(Interlocked.Increment(ref reads))), new StrataMetricsOptions { MaxAge = TimeSpan.Zero, Stopwatch = _stopwatch });

        var first = Collect(metrics);
        var second = Collect(metrics);

        Assert.Equal(StrataMetrics.Names.Count, first.Select(m => m.Name).Distinct().Count());
        Assert.Single(first.Where(m => m.Name != StrataMetrics.RpoBreached).Select(m => m.Value).Distinct());
        Assert.Single(second.Where(m => m.Name != StrataMetrics.RpoBreached).Select(m => m.Value).Distinct());
        Assert.True(second[0].Value > first[0].Value, "the next collect takes the reading anew");
        Assert.Equal(first.Single(m => m.Name == StrataMetrics.RpoBreached).Value, first[0].Value % 2); // reading n is breached when n is odd
    }

    /// <summary>One collect of <paramref name="metrics"/>' gauges: each measurement's instrument and value.</summary>
    private static List<(string Name, double Value)> Collect(StrataMetrics metrics)
    {
        var seen = new List<(string Name, double Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == metrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen.Add((i.Name, v)));
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen.Add((i.Name, v)));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen.Add((i.Name, v)));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}

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
        [new LayerReading("prod", "hourly", BackupLayers.Objects, DateTimeOffset.UnixEpoch.AddSeconds(n), DateTimeOffset.UnixEpoch.AddSeconds(n), n, n % 2 == 1, n)]);

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
        // Reading n is breached when n is odd: the pair's series and the layer's, both from the collect's one reading.
        Assert.Equal([first[0].Value % 2, first[0].Value % 2], first.Where(m => m.Name == StrataMetrics.RpoBreached).Select(m => m.Value));
    }

    [Fact]
    public void Collect_PairAndLayerSeries_RpoBreachedAndDrillRtoPerLayerToo_ObjectsOnItsLayer_DurationPerPairOnly()
    {
        var reading = new FleetReadings(DateTimeOffset.UnixEpoch,
            [new PairReading("prod", "hourly", false, 3600, 42, 7, 90, 600)],
            [
                new LayerReading("prod", "hourly", BackupLayers.Objects, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 10, Breached: false, DrillRtoSeconds: 30),
                new LayerReading("prod", "hourly", BackupLayers.Databases, null, null, null, Breached: true, DrillRtoSeconds: 90),
            ]);
        using var metrics = new StrataMetrics(_ => Task.FromResult(reading), new StrataMetricsOptions { Stopwatch = _stopwatch });

        var seen = CollectLabelled(metrics);

        string[] Series(string name) => [.. seen.Where(m => m.Name == name).Select(m => $"{m.Layer ?? "-"}={m.Value}").Order(StringComparer.Ordinal)];
        Assert.Equal(["-=0", "databases=1", "objects=0"], Series(StrataMetrics.RpoBreached));
        Assert.Equal(["-=90", "databases=90", "objects=30"], Series(StrataMetrics.DrillRto));
        Assert.Equal(["objects=7"], Series(StrataMetrics.BackupObjects));
        Assert.Equal(["-=42"], Series(StrataMetrics.BackupDuration));
        Assert.Equal(["objects=10"], Series(StrataMetrics.BackupBytes)); // a layer that never succeeded has no size, only its judgement
    }

    /// <summary>One collect: each measurement's instrument, layer label (null when it has none) and value.</summary>
    private static List<(string Name, string? Layer, double Value)> CollectLabelled(StrataMetrics metrics)
    {
        var seen = new List<(string Name, string? Layer, double Value)>();
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
        static string? Layer(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == StrataMetrics.LayerLabel)
                {
                    return (string?)tag.Value;
                }
            }

            return null;
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => seen.Add((i.Name, Layer(t), v)));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => seen.Add((i.Name, Layer(t), v)));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => seen.Add((i.Name, Layer(t), v)));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
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

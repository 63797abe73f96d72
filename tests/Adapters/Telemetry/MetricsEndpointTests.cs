using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Adapters.Telemetry;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary><c>GET /metrics</c> over a history the test controls: slow, failing, or one of two in the process.</summary>
[Collection(MeterCollection.Name)]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ManualStopwatch _stopwatch = new();

    private static FleetReadings Reading(string cluster, int seconds) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(seconds), [new PairReading(cluster, "hourly", false, null, null, null, null, null)], []);

    [Fact]
    public async Task MapMetrics_ASlowHistoryRead_OneScrapeWaitsOneReadTimeout_NotOnePerGauge()
    {
        var held = new TaskCompletionSource<FleetReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var timeout = TimeSpan.FromSeconds(1);
        await using var app = await ServeAsync(new StrataMetrics(_ => held.Task, new StrataMetricsOptions { ReadTimeout = timeout, Stopwatch = _stopwatch }));

        var scrape = app.ScrapeAsync();
        await Until(() => _stopwatch.TimersCreated == 2); // the read's deadline and the scrape's one wait
        _stopwatch.Advance(timeout);
        var text = await scrape.WaitAsync(TimeSpan.FromMinutes(1)); // a wait per gauge would never end: time moves only here
        held.SetResult(Reading("prod", 1));

        Assert.DoesNotContain("strata_", text, StringComparison.Ordinal); // nothing read yet: no series, and no made-up zeros
        Assert.Equal(2, _stopwatch.TimersCreated); // one wait for the scrape, none of each gauge's own
    }

    [Fact]
    public async Task StartAsync_OnLoopback_AForeignHost_Answers400WithNoMetrics()
    {
        // DNS rebinding, as strata serve guards against: a page the operator visits points its own name at 127.0.0.1.
        await using var listener = await MetricsListener.StartAsync(new StrataMetrics(_ => Task.FromResult(Reading("prod", 1)), null), "127.0.0.1", 0);
        using var http = new HttpClient();

        var answers = new List<(string Host, HttpStatusCode Code, string Body)>();
        foreach (var host in new[] { "rebind.example", $"rebind.example:{listener.Url.Port}", $"127.0.0.1.rebind.example:{listener.Url.Port}", "localhost", $"127.0.0.1:{listener.Url.Port}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, listener.Url);
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            answers.Add((host, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers[..3], a => Assert.True(a.Code == HttpStatusCode.BadRequest && !a.Body.Contains("strata_", StringComparison.Ordinal), $"Host {a.Host}: {(int)a.Code}"));
        Assert.All(answers[3..], a => Assert.True(a.Code == HttpStatusCode.OK && a.Body.Contains(StrataMetrics.RpoBreached, StringComparison.Ordinal), $"Host {a.Host}: {(int)a.Code}"));
    }

    [Fact]
    public async Task MapMetrics_AHistoryThatStopsAnswering_KeepsItsReadTimestamp_WhileTheOtherGaugesKeepTheirValues()
    {
        var fail = false;
        var reads = 0;
        await using var app = await ServeAsync(new StrataMetrics(
            _ => fail ? Task.FromException<FleetReadings>(new IOException("history unreachable")) : Task.FromResult(Reading("prod", 1000 * ++reads)),
            new StrataMetricsOptions { MaxAge = MaxAge, Stopwatch = _stopwatch }));

        var good = ReadAt(await app.ScrapeAsync());
        fail = true;
        _stopwatch.Advance(MaxAge);
        var failing = await app.ScrapeAsync();
        fail = false;
        _stopwatch.Advance(MaxAge);
        var recovered = ReadAt(await app.ScrapeAsync());

        Assert.Equal(1000, good);
        Assert.Equal(1000, ReadAt(failing));
        Assert.Contains("strata_rpo_breached{cluster=\"prod\",policy=\"hourly\"} 0", failing, StringComparison.Ordinal);
        Assert.Equal(2000, recovered);
    }

    [Fact]
    public async Task MapMetrics_TwoEndpointsInOneProcess_EachExportsOnlyItsOwnSeries()
    {
        await using var prod = await ServeAsync(new StrataMetrics(_ => Task.FromResult(Reading("prod", 1)), null));
        await using var dr = await ServeAsync(new StrataMetrics(_ => Task.FromResult(Reading("dr", 2)), null));

        var prodText = await prod.ScrapeAsync();
        var drText = await dr.ScrapeAsync();

        Assert.Single(Lines(prodText, StrataMetrics.RpoBreached));
        Assert.Contains("cluster=\"prod\"", Lines(prodText, StrataMetrics.RpoBreached).Single(), StringComparison.Ordinal);
        Assert.Single(Lines(drText, StrataMetrics.RpoBreached));
        Assert.Contains("cluster=\"dr\"", Lines(drText, StrataMetrics.RpoBreached).Single(), StringComparison.Ordinal);
        Assert.Equal(1, ReadAt(prodText));
        Assert.Equal(2, ReadAt(drText));
    }

    [Fact]
    public async Task StartAsync_APortInUse_FailsAndDisposesItsMeter()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var metrics = new StrataMetrics(_ => Task.FromResult(Reading("prod", 1)), null);
        var completed = new List<Instrument>();
        using (var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == metrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                lock (completed)
                {
                    completed.Add(instrument);
                }
            },
        })
        {
            listener.Start();

            await Assert.ThrowsAsync<IOException>(() => MetricsListener.StartAsync(metrics, "127.0.0.1", port));
        }

        lock (completed)
        {
            Assert.Equal(StrataMetrics.Names.Count, completed.Count(i => i.Meter.Name == metrics.MeterName)); // the meter was disposed, not left subscribed
        }
    }

    private static async Task Until(Func<bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (!done())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the condition did not hold within a minute");
            await Task.Delay(5);
        }
    }

    private static double? ReadAt(string text) =>
        Lines(text, StrataMetrics.HistoryReadTimestamp).Select(l => (double?)double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).SingleOrDefault();

    private static List<string> Lines(string text, string metric) =>
        [.. text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))];

    private static async Task<Served> ServeAsync(StrataMetrics metrics)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        MetricsEndpoint.Map(app, metrics, out _);
        await app.StartAsync();
        var url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), MetricsEndpoint.Path);
        return new Served(app, url);
    }

    /// <summary>A Kestrel app serving one endpoint.</summary>
    private sealed class Served(WebApplication app, Uri url) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };

        public Task<string> ScrapeAsync() => _http.GetStringAsync(url);

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

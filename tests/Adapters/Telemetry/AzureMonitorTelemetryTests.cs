using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Strata.Adapters.Hosting;
using Strata.Adapters.Telemetry;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Telemetry;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>
/// The Functions app's exporters, against a local stand-in for the Application Insights ingestion endpoint (the
/// connection string's <c>IngestionEndpoint</c>): what Strata records arrives there, metrics and spans.
/// </summary>
public sealed class AzureMonitorTelemetryTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _ingestion = null!;
    private string _endpoint = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _ingestion = builder.Build();
        _ingestion.MapPost("/{**path}", async (HttpRequest request) =>
        {
            Stream body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            _received.Enqueue(await new StreamReader(body).ReadToEndAsync());
            return Results.Json(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
        });
        await _ingestion.StartAsync();
        _endpoint = _ingestion.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _ingestion.DisposeAsync();

    [Fact]
    public void AddAzureMonitor_NoConnectionString_AddsNothing()
    {
        var services = new ServiceCollection();

        Assert.False(AzureMonitorTelemetry.AddAzureMonitor(services, _ => null, _ => throw new InvalidOperationException("not read")));
        Assert.Empty(services);
    }

    [Fact]
    public async Task AddAzureMonitor_WithAConnectionString_SendsStratasGaugesAndSpansToTheIngestionEndpoint()
    {
        var context = Context();
        var services = new ServiceCollection();
        var connection = $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={_endpoint}/";

        Assert.True(AzureMonitorTelemetry.AddAzureMonitor(services, name => name == AzureMonitorSettings.ConnectionStringVariable ? connection : null, _ => Task.FromResult(context)));
        await using (var provider = services.BuildServiceProvider())
        {
            var meters = provider.GetRequiredService<MeterProvider>();
            var tracer = provider.GetRequiredService<TracerProvider>();
            StrataActivities.Start("backup", "prod", "hourly", "20261121-100000-abcdef")?.Dispose();
            Assert.True(meters.ForceFlush(30_000));
            Assert.True(tracer.ForceFlush(30_000));
        }

        var sent = string.Join("\n", _received);
        Assert.Contains("\"strata_rpo_breached\"", sent);
        Assert.Contains("\"cluster\":\"prod\"", sent);
        Assert.Contains("20261121-100000-abcdef", sent);
    }

    private static ControlPlaneContext Context() => new(
        ConfigurationLoader.Parse("""
            clusters:
              - name: prod
                server: https://prod.example:6443
            policies:
              - name: hourly
                clusters: ["*"]
                schedule: "0 * * * *"
                rpo: 2h
            """, "strata.yaml", SystemTimeZones.Instance),
        new FakeClusters(), new MemoryArtifactStores(new MemoryArtifactStore()), new MemoryRunHistory(), new MemoryControlState(),
        new ManualClock(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero)), new ControlPlaneOptions());
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Strata.Core.ControlPlane;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: Strata's metrics in the Prometheus text format, on any Kestrel app (<c>strata serve</c>, and the
/// listener <c>strata run --metrics-port</c> starts). One call after the app is built: the endpoint has its own meter
/// provider, so the host registers nothing beforehand, and it is disposed with the app.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The path scrapers ask.</summary>
    public const string Path = "/metrics";

    /// <summary>Maps <see cref="Path"/> on <paramref name="app"/> to the metrics of <paramref name="context"/>.</summary>
    public static IEndpointConventionBuilder MapMetrics(WebApplication app, ControlPlaneContext context, StrataMetricsOptions? options = null) =>
        Map(app, new StrataMetrics(context, options));

    /// <summary>Maps <see cref="Path"/> on <paramref name="app"/> to the metrics of the control plane <paramref name="context"/> builds (on the first scrape).</summary>
    public static IEndpointConventionBuilder MapMetrics(WebApplication app, Func<CancellationToken, Task<ControlPlaneContext>> context, StrataMetricsOptions? options = null) =>
        Map(app, new StrataMetrics(context, options));

    private static IEndpointConventionBuilder Map(WebApplication app, StrataMetrics metrics) => Map(app, metrics, out _);

    /// <summary>
    /// Maps the endpoint; <paramref name="owned"/> disposes its provider and meter (idempotent) — with the app once it
    /// stops, or by a caller whose app never started.
    /// </summary>
    internal static IEndpointConventionBuilder Map(WebApplication app, StrataMetrics metrics, out IDisposable owned)
    {
        var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("strata"))
            .AddMeter(metrics.MeterName) // this endpoint's instance only (StrataMetrics.MeterPrefix)
            .AddPrometheusExporter(o =>
            {
                // The names already end in their unit (StrataMetrics.Names): no suffix is added, so what Prometheus sees is
                // exactly those names — no `_seconds_seconds`, no `_ratio`, nothing for a dashboard to guess.
                o.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;
                o.ScrapeResponseCacheDurationMilliseconds = 0; // the readings are cached already (StrataMetricsOptions.MaxAge)
                o.ScopeInfoEnabled = false; // no otel_scope_* label on every series: the labels are cluster, policy, layer
            })
            .Build();
        var disposal = new Disposal(provider, metrics);
        owned = disposal;
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(disposal.Dispose);

        // The history is read here, asynchronously and at most once per scrape (StrataMetricsOptions.ReadTimeout), before
        // the exporter collects: the gauge callbacks then find the reading ready and never block a Kestrel thread on it.
        return app.MapPrometheusScrapingEndpoint(Path, provider, branch => branch.Use(async (http, next) =>
        {
            await metrics.RefreshAsync(http.RequestAborted);
            await next(http);
        }), null);
    }

    /// <summary>The provider and the metrics, disposed once whoever asks first.</summary>
    private sealed class Disposal(MeterProvider provider, StrataMetrics metrics) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                provider.Dispose();
                metrics.Dispose();
            }
        }
    }
}

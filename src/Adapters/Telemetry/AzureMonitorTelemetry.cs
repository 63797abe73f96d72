using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Strata.Core.ControlPlane;
using Strata.Core.Telemetry;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// The Functions app's telemetry: Strata's spans (<see cref="StrataActivities"/>) and metrics (<see cref="StrataMetrics"/>)
/// exported to Azure Monitor when <see cref="AzureMonitorSettings"/> finds a connection string; nothing otherwise.
/// </summary>
public static class AzureMonitorTelemetry
{
    /// <summary>
    /// How fresh the Functions app's readings are: the freshness timer's period (it judges no more often), so an instance
    /// reads the history at most every 5 minutes for the exporter, which collects every minute.
    /// </summary>
    public static readonly TimeSpan ReadingMaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The Functions app's one <see cref="StrataMetrics"/>' meter: a name no scrape endpoint subscribes to (theirs are each their own).</summary>
    public const string MeterName = StrataActivities.SourceName + ".Metrics";

    /// <summary>
    /// Adds the exporters to <paramref name="services"/> when <paramref name="variable"/> has a connection string; the
    /// gauges read the control plane <paramref name="context"/> builds (on first export). Returns whether it did.
    /// </summary>
    public static bool AddAzureMonitor(IServiceCollection services, Func<string, string?> variable, Func<CancellationToken, Task<ControlPlaneContext>> context)
    {
        if (AzureMonitorSettings.From(variable) is not { } settings)
        {
            return false;
        }

        void Configure(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = settings.ConnectionString;

            // Every span kept: a few backups a day, each a handful of spans — rate-limited sampling would drop the ones people look for.
            options.TracesPerSecond = null;
            options.SamplingRatio = 1F;
            if (settings.Credential is { } credential)
            {
                options.Credential = credential;
            }
        }

        services.AddSingleton(_ => new StrataMetrics(context, new StrataMetricsOptions { MaxAge = ReadingMaxAge, MeterName = MeterName }));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("strata")) // the cloud role name Application Insights shows
            .WithTracing(tracing => tracing.AddSource(StrataActivities.SourceName).AddAzureMonitorTraceExporter(Configure))
            .WithMetrics(metrics => metrics.AddMeter(MeterName).AddAzureMonitorMetricExporter(Configure)
                .AddInstrumentation(sp => sp.GetRequiredService<StrataMetrics>()));
        return true;
    }
}

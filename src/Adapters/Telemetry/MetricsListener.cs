using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Adapters.Hosting;
using Strata.Core.ControlPlane;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// The scrape endpoint of <c>strata run --metrics-port</c>: a small Kestrel server answering <see cref="MetricsEndpoint.Path"/>
/// only, beside the runner, until disposed. On a loopback address it answers only Host names of loopback
/// (<see cref="LoopbackHostFilter"/>), as <c>strata serve</c> does.
/// </summary>
public sealed class MetricsListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where to scrape (<c>http://ADDRESS:PORT/metrics</c>, the port the system chose when asked for 0).</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    public static Task<MetricsListener> StartAsync(ControlPlaneContext context, string address, int port, CancellationToken cancellationToken = default) =>
        StartAsync(new StrataMetrics(context), address, port, cancellationToken);

    /// <summary>Starts listening with <paramref name="metrics"/> (owned from here: disposed with the listener, or at once if it cannot start).</summary>
    internal static async Task<MetricsListener> StartAsync(StrataMetrics metrics, string address, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{LoopbackHostFilter.Authority(address)}:{port}");
        LoopbackHostFilter.AddTo(builder, address); // on loopback, as strata serve: no answer to a rebound foreign Host
        var app = builder.Build();
        MetricsEndpoint.Map(app, metrics, out var owned);
        try
        {
            await app.StartAsync(cancellationToken);
            var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new MetricsListener(app, new Uri(bound, MetricsEndpoint.Path));
        }
        catch
        {
            // An app that never started never stops: its provider and meter would outlive it, still subscribed.
            owned.Dispose();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Adapters.Telemetry;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata serve --config strata.yaml</c>: the status page on this machine, the same page the Functions app's
/// <c>dashboard</c> function renders, over the same store and history — plus <c>/status</c> (JSON), <c>/health</c> and <c>/metrics</c> (Prometheus).
/// Listens on loopback by default: the page has no sign-in of its own. On a loopback address it answers only requests whose
/// Host names loopback (<see cref="LoopbackHostFilter"/>, against DNS rebinding), 400 otherwise. On any other address it has
/// no protection of its own. Ctrl-C stops it.
/// </summary>
internal static class ServeCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var config = CommonOptions.Config();
        var address = new Option<string>("--address")
        {
            Description = "The IP address to listen on (default 127.0.0.1: this machine only, and only for Host names of loopback). "
                + "Any other address (0.0.0.0, a LAN address) serves anyone who reaches it: the page has no sign-in of its own, so put it behind an authenticating proxy.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port") { Description = "The TCP port (default 8080; 0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var command = new Command("serve", "Serve the status page (and /status, /health, /metrics) over HTTP until Ctrl-C.") { config, address, port };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(port) is var number && number is < 0 or > 65535)
            {
                return await environment.FailAsync($"--port: {number} is not a TCP port (0 to 65535; 0 picks a free one)");
            }

            var text = parsed.GetValue(address)!;
            if (!IPAddress.TryParse(text, out var ip))
            {
                return await environment.FailAsync($"--address: '{text}' is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
            }

            (ControlPlaneContext Context, IDisposable Resources) handle;
            try
            {
                handle = await ControlPlaneFactory.CreateAsync(parsed.GetValue(config), store.Resolve(parsed, environment), environment.Variable, environment.Time, cancellationToken: ct);
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }

            using (handle.Resources)
            {
                var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
                builder.Logging.ClearProviders(); // standard output is the command's: its first line says where it serves
                builder.WebHost.UseKestrel(kestrel => kestrel.Listen(ip, number));
                LoopbackHostFilter.AddTo(builder, ip.ToString()); // on loopback: a request with a foreign Host reaches no endpoint
                await using var app = builder.Build();
                app.MapStatusPageEndpoints(handle.Context, environment.Error);

                MetricsEndpoint.MapMetrics(app, handle.Context);
                try
                {
                    await app.StartAsync(ct);
                }
                catch (IOException e)
                {
                    return await environment.FailAsync($"cannot listen on {text}:{number}: {e.Message}");
                }

                await environment.Out.WriteLineAsync($"strata: serving {Bound(app, ip, number)}");
                await environment.Out.FlushAsync(CancellationToken.None);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C: the normal way to stop.
                }

                await app.StopAsync(CancellationToken.None);
                return ExitCodes.Succeeded;
            }
        });
        return command;
    }

    // The address as a browser takes it, with the port the system chose when asked for 0.
    private static string Bound(WebApplication app, IPAddress ip, int requested)
    {
        var port = requested;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var bound in addresses)
        {
            if (Uri.TryCreate(bound, UriKind.Absolute, out var uri))
            {
                port = uri.Port;
                break;
            }
        }

        return $"http://{LoopbackHostFilter.Authority(ip.ToString())}:{port}/";
    }
}

using System.CommandLine;
using Azure.Identity;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata run --config strata.yaml</c>: the control plane on one machine — the same functions
/// as the Functions app, with in-process timers and queues, the local store and history by default.
/// With <c>--service-bus</c>, the same in a container: the queues are the control plane's Service Bus
/// queues (Entra ID sign-in), for teams that run Strata on Container Apps or AKS instead of Functions.
/// Ctrl-C (SIGTERM in a container) finishes in-flight work and stops.
/// </summary>
internal static class RunCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var config = CommonOptions.Config();
        var maxDeliveries = new Option<int>("--max-deliveries")
        {
            Description = "In-process queues: deliveries before a failing message is dead-lettered (default 10; with --service-bus the queue's MaxDeliveryCount applies).",
            DefaultValueFactory = _ => 10,
        };
        var serviceBus = new Option<string?>("--service-bus")
        {
            Description = $"Consume the control plane's Service Bus queues instead of in-process ones: NAME, NAME{ServiceBusNamespace.DefaultSuffix} or an https URL "
                + $"(given alone: ${RemoteRequest.NamespaceVariable}). Signs in with Entra ID (managed or workload identity in a container).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var metricsPort = new Option<int?>("--metrics-port")
        {
            Description = "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (0: a free port, printed at start). Off by default.",
        };
        var metricsAddress = new Option<string>("--metrics-address")
        {
            Description = "The address --metrics-port listens on (default 127.0.0.1, this machine only; in a container 0.0.0.0, so that Prometheus can reach it).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("run", "Run the control plane here: schedules, backups, retention, alerts — until Ctrl-C.") { config, maxDeliveries, serviceBus, metricsPort, metricsAddress };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            string? fullyQualifiedNamespace = null;
            if (parsed.GetResult(serviceBus) is { Implicit: false })
            {
                if (parsed.GetResult(maxDeliveries) is { Implicit: false })
                {
                    return await environment.FailAsync("--max-deliveries cannot be used with --service-bus: the queue's MaxDeliveryCount decides when a message is dead-lettered");
                }

                try
                {
                    fullyQualifiedNamespace = (parsed.GetValue(serviceBus) ?? environment.Variable(RemoteRequest.NamespaceVariable)) is { Length: > 0 } text
                        ? ServiceBusNamespace.Parse(text, "--service-bus")
                        : throw new FormatException($"--service-bus needs the namespace: --service-bus NAME, or ${RemoteRequest.NamespaceVariable}");
                }
                catch (FormatException e)
                {
                    return await environment.FailAsync(e.Message);
                }
            }

            if (parsed.GetValue(metricsPort) is < 0 or > 65535)
            {
                return await environment.FailAsync($"--metrics-port {parsed.GetValue(metricsPort)}: a port is 0 to 65535 (0: a free one)");
            }

            if (parsed.GetResult(metricsAddress) is { Implicit: false } && parsed.GetValue(metricsPort) is null)
            {
                return await environment.FailAsync("--metrics-address needs --metrics-port: metrics are served only when a port is given");
            }

            if (!System.Net.IPAddress.TryParse(parsed.GetValue(metricsAddress), out _) && parsed.GetValue(metricsAddress) != "localhost")
            {
                return await environment.FailAsync($"--metrics-address '{parsed.GetValue(metricsAddress)}' is not an IP address (127.0.0.1, 0.0.0.0, ::)");
            }

            if (parsed.GetValue(metricsAddress) == "localhost" && parsed.GetValue(metricsPort) == 0)
            {
                // Kestrel binds localhost on both loopbacks, so it cannot let the system choose one free port for both.
                return await environment.FailAsync("--metrics-address localhost cannot take --metrics-port 0: a free port is picked only on an IP address; use --metrics-address 127.0.0.1 (or ::1), or a fixed port");
            }

            var location = store.Resolve(parsed, environment);
            (ControlPlaneContext Context, IDisposable Resources) handle;
            try
            {
                handle = await ControlPlaneFactory.CreateAsync(parsed.GetValue(config), location, environment.Variable, environment.Time, alertDelivery: environment.AlertDelivery, cancellationToken: ct);
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }

            using (handle.Resources)
            {
                var configuration = handle.Context.Configuration;
                await environment.Out.WriteLineAsync(
                    $"strata: running {configuration.Policies.Count} polic{(configuration.Policies.Count == 1 ? "y" : "ies")} on {configuration.Clusters.Count} cluster(s) "
                    + $"from {configuration.Source}; artifacts in {location.ArtifactsWhere}, history in {location.HistoryWhere}; "
                    + $"queues {(fullyQualifiedNamespace is null ? "in process" : "in " + fullyQualifiedNamespace)}. Ctrl-C stops.");
                Adapters.Telemetry.MetricsListener? metrics = null;
                if (parsed.GetValue(metricsPort) is { } port)
                {
                    try
                    {
                        metrics = await Adapters.Telemetry.MetricsListener.StartAsync(handle.Context, parsed.GetValue(metricsAddress)!, port, ct);
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException)
                    {
                        // IOException: the port is taken or the address is not this machine's; InvalidOperationException:
                        // an address and port Kestrel refuses to bind as given.
                        return await environment.FailAsync($"--metrics-port {port}: cannot listen on {parsed.GetValue(metricsAddress)}: {e.Message}");
                    }

                    await environment.Out.WriteLineAsync($"strata: metrics at {metrics.Url}");
                }

                await using var stopMetrics = metrics;

                void Log(string line) => environment.Out.WriteLine($"{environment.Time.GetLocalNow():HH:mm:ss} {line}");
                if (fullyQualifiedNamespace is null)
                {
                    var runner = new LocalRunner(handle.Context, new LocalRunnerOptions
                    {
                        MaxDeliveries = parsed.GetValue(maxDeliveries),
                        DeadLetterFolder = Path.Combine(environment.StrataHome, "dead-letter"),
                    }, Log);
                    await runner.RunAsync(ct);
                }
                else
                {
                    await using var client = environment.ServiceBusClients(fullyQualifiedNamespace, environment.AzureCredential ?? new DefaultAzureCredential());
                    await new ServiceBusHost(handle.Context, client, new ServiceBusHostOptions(), Log).RunAsync(ct);
                }
            }

            return ExitCodes.Succeeded;
        });
        return command;
    }
}

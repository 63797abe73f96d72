using System.CommandLine;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata run --config strata.yaml</c>: the control plane on one machine — the same functions
/// as the Functions app, with in-process timers and queues, the local store and history by default.
/// Ctrl-C drains in-flight work and stops.
/// </summary>
internal static class RunCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var config = new Option<string?>("--config") { Description = "strata.yaml (default: $STRATA_CONFIG)." };
        var maxDeliveries = new Option<int>("--max-deliveries") { Description = "Deliveries before a failing message is dead-lettered (default 10).", DefaultValueFactory = _ => 10 };
        var command = new Command("run", "Run the control plane here: schedules, backups, retention, alerts — until Ctrl-C.") { config, maxDeliveries };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            (ControlPlaneContext Context, IDisposable Resources) handle;
            try
            {
                handle = await ControlPlaneFactory.CreateAsync(parsed.GetValue(config), location, environment.Variable, environment.Time, cancellationToken: ct);
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
                    + $"from {configuration.Source}; artifacts in {location.ArtifactsWhere}, history in {location.HistoryWhere}. Ctrl-C stops.");
                var runner = new LocalRunner(handle.Context, new LocalRunnerOptions
                {
                    MaxDeliveries = parsed.GetValue(maxDeliveries),
                    DeadLetterFolder = Path.Combine(environment.StrataHome, "dead-letter"),
                }, line => environment.Out.WriteLine($"{environment.Time.GetLocalNow():HH:mm:ss} {line}"));
                await runner.RunAsync(ct);
            }

            return ExitCodes.Succeeded;
        });
        return command;
    }
}

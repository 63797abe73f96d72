using System.CommandLine;
using System.Text.Json;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Serialization;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata status --config strata.yaml</c>: recoverability at a glance — per (cluster, policy) the last
/// backup, the last verified one, the RPO state, and the open alerts. The same document as the
/// <c>status</c> HTTP function with <c>-o json</c>.
/// </summary>
internal static class StatusCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var config = CommonOptions.Config();
        var command = new Command("status", "Show, per cluster and policy, the last backup, the last verified one, the RPO state, the last drill with its RTO, and open alerts.") { config, output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
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
                var status = await StatusReport.BuildAsync(handle.Context, ct);
                if (parsed.GetValue(output) == "json")
                {
                    await environment.Out.WriteLineAsync(JsonSerializer.Serialize(status, StrataJson.Default.FleetStatus));
                }
                else
                {
                    StatusTables.Fleet(environment, status);
                }

                return ExitCodes.Succeeded;
            }
        });
        return command;
    }
}

using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary><c>strata drill list</c>: past drills, newest first, with the RTO trend per policy and cluster.</summary>
internal static class DrillListCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var policy = new Option<string?>("--policy") { Description = "Only this policy's drills." };
        var cluster = new Option<string?>("--cluster") { Description = "Only drills of this cluster's backups." };
        var output = CommonOptions.Output();
        var store = new StoreOptions();
        var command = new Command("list", "List restore drills, newest first, with the RTO trend per policy and cluster.") { policy, cluster, output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var (policyName, clusterName) = (parsed.GetValue(policy), parsed.GetValue(cluster));
            var drills = new List<DrillRecord>();
            await foreach (var drill in location.History.ListDrillsAsync(ct))
            {
                if ((policyName is null || drill.Policy == policyName) && (clusterName is null || drill.Cluster == clusterName))
                {
                    drills.Add(drill);
                }
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(DrillJson.List(drills));
            }
            else if (drills.Count == 0)
            {
                await environment.Out.WriteLineAsync($"No drills in {location.HistoryWhere}" + (policyName is null && clusterName is null ? "." : " for that policy and cluster."));
            }
            else
            {
                DrillTables.List(environment, drills);
            }

            return ExitCodes.Succeeded;
        });
        return command;
    }
}

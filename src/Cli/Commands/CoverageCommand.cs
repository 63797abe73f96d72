using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Coverage;
using Strata.Core.Serialization;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata coverage --config strata.yaml [--cluster NAME] [-o json]</c>: surveys each cluster for its stateful things
/// (claims, StatefulSets, database pods and operators' databases, etcd) and says what protects each — the policy and
/// layer — what Git rebuilds, and what nothing protects, with the reason. As <c>backup verify</c>: exit 0 when every
/// stateful thing is protected or rebuildable; 1 when something is unprotected or a cluster could not be surveyed (the
/// report says which, and the other clusters are still surveyed); 2 bad input (an unknown cluster, a bad strata.yaml).
/// <c>-o json</c> prints an array of the reports, as the <c>coverage</c> timer stores them.
/// </summary>
internal static class CoverageCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var config = CommonOptions.Config();
        var clusterOption = new Option<string?>("--cluster") { Description = "Survey only this cluster (its name in strata.yaml); default: every cluster." };
        var command = new Command("coverage", "List each cluster's stateful things — claims, StatefulSets, database pods, operators' databases, etcd — and which policy and layer protects each, which Git rebuilds, and which nothing protects.")
        {
            config, clusterOption, output,
        };
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
                var configuration = handle.Context.Configuration;
                IReadOnlyList<ClusterDefinition> clusters = configuration.Clusters;
                if (parsed.GetValue(clusterOption) is { } name)
                {
                    if (configuration.FindCluster(name) is not { } one)
                    {
                        return await environment.FailAsync(
                            $"cluster '{name}' is not in strata.yaml ({configuration.Source}); its clusters are {string.Join(", ", configuration.Clusters.Select(c => c.Name))}");
                    }

                    clusters = [one];
                }

                var reports = new List<CoverageReport>();
                foreach (var cluster in clusters)
                {
                    await environment.Error.WriteLineAsync($"surveying {cluster.Name}…");
                    reports.Add(await CoverageSurvey.RunAsync(configuration, cluster, handle.Context.Clusters, environment.Time, ct));
                }

                if (parsed.GetValue(output) == "json")
                {
                    var array = new JsonArray([.. reports.Select(r => JsonSerializer.SerializeToNode(r, StrataJson.Default.CoverageReport))]);
                    await environment.Out.WriteLineAsync(array.ToJsonString(StrataJson.Default.Options));
                }
                else
                {
                    CoverageTables.Write(environment, reports);
                }

                // Unprotected data, or a cluster nobody could look at, is a shortfall to act on (1), not bad input (2).
                return reports.Any(r => r.Error is not null || r.Unprotected.Any()) ? ExitCodes.PartiallyFailed : ExitCodes.Succeeded;
            }
        });
        return command;
    }
}

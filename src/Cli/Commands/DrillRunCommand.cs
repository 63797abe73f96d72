using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata drill run --config strata.yaml --policy P --cluster C [--backup ID]</c>: one restore drill of the
/// policy's latest verified backup (or the one named), here, through the control plane's own verify worker —
/// restored as the policy's <c>verification.drill</c> says, asserted, timed, cleaned up, recorded, alerted.
/// Exit 0 passed within the RTO objective, 1 failed or slower, 2 bad input (nothing run).
/// </summary>
internal static class DrillRunCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var config = CommonOptions.Config("the clusters, and the policy's verification.drill.");
        var policy = new Option<string>("--policy") { Description = "The policy whose drill to run.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "The cluster whose backup to drill (a cluster the policy protects).", Required = true };
        var backup = new Option<string?>("--backup") { Description = "The backup to drill (default: the latest verified backup of the policy on the cluster)." };
        var output = CommonOptions.Output();
        var store = new StoreOptions();
        var keys = new KeyOptions();
        var allowUnsigned = CommonOptions.AllowUnsigned("Drill");
        var command = new Command("run", "Run a policy's restore drill now: restore where it harms nothing, wait for the assertions, measure the RTO.")
        {
            config, policy, cluster, backup, output, allowUnsigned,
        };
        store.AddTo(command);
        keys.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var progress = Progress.ForDrill(environment);
            var options = new ControlPlaneOptions { Restore = new RestoreOptions { Scratch = RestoreExecution.ScratchFile, AllowUnsigned = parsed.GetValue(allowUnsigned) }, DrillProgress = progress };
            (ControlPlaneContext Context, IDisposable Resources) handle;
            try
            {
                handle = await ControlPlaneFactory.CreateAsync(parsed.GetValue(config), store.Resolve(parsed, environment), environment.Variable, environment.Time, options, environment.AlertDelivery, ct);
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }

            using (handle.Resources)
            using (progress)
            {
                var (keyring, keyError) = keys.Resolve(parsed, environment, handle.Context.Keyring);
                if (keyring is null)
                {
                    return await environment.FailAsync(keyError!);
                }

                var context = handle.Context with { Keyring = keyring };
                var (envelope, refusal) = await RequestAsync(context, parsed.GetValue(policy)!, parsed.GetValue(cluster)!, parsed.GetValue(backup), environment, ct);
                if (envelope is null)
                {
                    return await environment.FailAsync(refusal!);
                }

                await InlinePipeline.RunAsync(context, envelope, line =>
                {
                    progress.Finish();
                    environment.Error.WriteLine(line);
                }, ct);
                if (await context.History.FindDrillAsync(DrillWorker.DrillIdFor(envelope), ct) is not { } drill)
                {
                    return await environment.FailAsync("the drill did not run (the log above says why)");
                }

                if (parsed.GetValue(output) == "json")
                {
                    await environment.Out.WriteLineAsync(DrillJson.Record(drill).ToJsonString(BackupJson.Indented));
                }
                else
                {
                    DrillTables.Summary(environment, drill);
                }

                return ExitCodes.For(drill);
            }
        });
        return command;
    }

    /// <summary>The drill request, checked as the worker will check it, or why it can never run.</summary>
    private static async Task<(Envelope? Envelope, string? Refusal)> RequestAsync(
        ControlPlaneContext context, string policyName, string clusterName, string? backupId, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var configuration = context.Configuration;
        if (configuration.FindPolicy(policyName) is not { } policy)
        {
            return (null, $"policy '{policyName}' is not in {configuration.Source}");
        }

        if (configuration.FindCluster(clusterName) is not { } cluster || !configuration.ClustersOf(policy).Contains(cluster))
        {
            return (null, configuration.FindCluster(clusterName) is null
                ? $"cluster '{clusterName}' is not in {configuration.Source}"
                : $"policy '{policyName}' does not protect cluster '{clusterName}'");
        }

        if (policy.Verification.Drill is null)
        {
            return (null, $"policy '{policyName}' has no verification.drill in {configuration.Source}: nothing says how to drill it");
        }

        var backup = backupId is null
            ? await VerifiedBackups.LatestAsync(context.History, policyName, clusterName, cancellationToken)
            : await context.History.FindBackupAsync(backupId, cancellationToken);
        if (backup is null)
        {
            return (null, backupId is null
                ? $"no verified backup of policy '{policyName}' on cluster '{clusterName}' to drill (take one: strata backup create --config {configuration.Source} --policy {policyName} --cluster {clusterName})"
                : $"no backup \"{backupId}\" in the run history (see 'strata backup list')");
        }

        var request = new VerifyRequested(backup.Id, clusterName, policyName, VerificationKind.Drill);
        if (DrillWorker.Refusal(configuration, request, backup) is { } refusal)
        {
            return (null, refusal);
        }

        return Requests.Create(request, MessageIds.New("cli-drill"), environment.Time.GetUtcNow(), configuration);
    }
}

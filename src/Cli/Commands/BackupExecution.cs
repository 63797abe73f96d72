using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Cli.Output;
using Strata.Core.Backup;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>Runs one backup with progress, prints its outcome, and maps it to an exit code.</summary>
internal static class BackupExecution
{
    public static async Task<int> RunAsync(
        KubernetesClient client, string clusterName, BackupScope scope, StoreLocation location, bool json,
        CliEnvironment environment, CancellationToken cancellationToken)
    {
        var capture = new BackupCapture(client, location.Artifacts(), location.History(), environment.Time);
        using var progress = Progress.ForBackup(environment);
        BackupOutcome outcome;
        try
        {
            outcome = await capture.RunAsync(new BackupRequest(clusterName, scope), progress, cancellationToken);
        }
        catch (KubernetesApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await environment.Error.WriteLineAsync($"strata: cluster \"{clusterName}\" ({client.Connection.Server}): {e.Message}");
            return ExitCodes.Failed;
        }
        catch (KubeconfigException e)
        {
            progress.Finish();
            await environment.Error.WriteLineAsync($"strata: {e.Message}");
            return ExitCodes.Failed;
        }

        progress.Finish();
        if (json)
        {
            await environment.Out.WriteLineAsync(BackupJson.Create(outcome, location));
        }
        else
        {
            BackupTables.Summary(environment, outcome, location);
        }

        return outcome.Record.Status switch
        {
            BackupStatus.Succeeded => ExitCodes.Succeeded,
            BackupStatus.PartiallyFailed => ExitCodes.PartiallyFailed,
            _ => ExitCodes.Failed,
        };
    }
}

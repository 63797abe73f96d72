using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Cli.Output;
using Strata.Core.Encryption;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>Runs one restore with progress, prints its outcome, and maps it to an exit code.</summary>
internal static class RestoreExecution
{
    /// <summary>Runs the restore; the record is null when it was refused or could not start (the reason is on standard error).</summary>
    public static async Task<(int Code, RestoreRecord? Record)> RunAsync(
        KubernetesClient client, RestoreRequest request, StoreLocation location, OutputMode output, CliEnvironment environment, Keyring? keyring,
        CancellationToken cancellationToken)
    {
        var restore = new BackupRestore(client, location.Artifacts, location.History, environment.Time,
            new RestoreOptions { Scratch = ScratchFile, Keyring = keyring ?? Keyring.None, Ids = RandomIdSource.Instance });
        using var progress = Progress.ForRestore(environment);
        RestoreRecord record;
        try
        {
            record = await restore.RunAsync(request, progress, cancellationToken);
        }
        catch (RestoreRefusedException e)
        {
            progress.Finish();
            return (await environment.FailAsync(e.Message), null);
        }
        catch (KubernetesApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            return (await environment.FailAsync($"cluster \"{request.TargetCluster}\" ({client.Connection.Server}): {e.Message}"), null);
        }
        catch (KubeconfigException e)
        {
            progress.Finish();
            return (await environment.FailAsync(e.Message), null);
        }

        progress.Finish();
        if (output == OutputMode.Json)
        {
            await environment.Out.WriteLineAsync(RestoreJson.Record(record));
        }
        else if (output == OutputMode.Table)
        {
            RestoreTables.Summary(environment, record, allItems: false);
        }

        return (ExitCodes.For(record.Status), record);
    }

    /// <summary>A temporary file that disappears when closed, for the restore's spool.</summary>
    internal static Stream ScratchFile() => new FileStream(
        Path.Combine(Path.GetTempPath(), $"strata-restore-{Guid.NewGuid():N}.spool"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}

using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Cli.Output;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Ports;
using Strata.Core.Verification;

namespace Strata.Cli.Commands;

/// <summary>Runs one backup with progress, verifies it, prints its outcome, and maps it to an exit code.</summary>
internal static class BackupExecution
{
    /// <summary>Seconds a run's lease lasts (default 120); the process renews it every third. A run whose lease ran out died.</summary>
    public const string RunLeaseSetting = "STRATA_RUN_LEASE";

    public static async Task<int> RunAsync(
        KubernetesClient client, string clusterName, BackupScope scope, StoreLocation location, bool json,
        CliEnvironment environment, CancellationToken cancellationToken) =>
        (await RunAsync(client, clusterName, scope, location, json ? OutputMode.Json : OutputMode.Table, environment, cancellationToken)).Code;

    /// <summary>Runs the backup; the outcome is null when it could not start (the reason is on standard error).</summary>
    public static async Task<(int Code, BackupOutcome? Outcome)> RunAsync(
        KubernetesClient client, string clusterName, BackupScope scope, StoreLocation location, OutputMode output,
        CliEnvironment environment, CancellationToken cancellationToken) =>
        await RunAsync(client, clusterName, scope, location, output, environment, null, cancellationToken);

    /// <summary>
    /// Runs the backup with <paramref name="keyring"/>: Secret values encrypted when it has a key that wraps, the manifest
    /// signed when it has a signer; the outcome is null when it could not start (the reason is on standard error).
    /// </summary>
    public static async Task<(int Code, BackupOutcome? Outcome)> RunAsync(
        KubernetesClient client, string clusterName, BackupScope scope, StoreLocation location, OutputMode output,
        CliEnvironment environment, Keyring? keyring, CancellationToken cancellationToken)
    {
        keyring ??= Keyring.None;
        var options = new BackupCaptureOptions { Keyring = keyring };
        if (environment.Variable(RunLeaseSetting) is { Length: > 0 } lease)
        {
            if (!double.TryParse(lease, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            {
                await environment.Error.WriteLineAsync($"strata: {RunLeaseSetting}: '{lease}' is not a number of seconds (at least 1)");
                return (ExitCodes.Failed, null);
            }

            options = options with { RunLease = TimeSpan.FromSeconds(seconds) };
        }

        var capture = new BackupCapture(client, location.Artifacts, location.History, environment.Time, options with { Ids = RandomIdSource.Instance });
        using var progress = Progress.ForBackup(environment);
        BackupOutcome outcome;
        try
        {
            outcome = await capture.RunAsync(
                new BackupRequest(clusterName, scope) { Encrypt = keyring.CanEncrypt ? EncryptionMode.Secrets : EncryptionMode.None }, progress, cancellationToken);
        }
        catch (KubernetesApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await environment.Error.WriteLineAsync($"strata: cluster \"{clusterName}\" ({client.Connection.Server}): {e.Message}");
            return (ExitCodes.Failed, null);
        }
        catch (KubeconfigException e)
        {
            progress.Finish();
            await environment.Error.WriteLineAsync($"strata: {e.Message}");
            return (ExitCodes.Failed, null);
        }

        progress.Finish();
        if (outcome.Record.IsCommitted)
        {
            // Every backup is proven before it counts: read back from the store, checked against its manifest.
            await environment.Error.WriteLineAsync($"verifying {outcome.Record.Artifacts.Count} artifact(s) from {location.ArtifactsWhere}…");
            // The snapshots are checked through the connection the backup was taken with.
            outcome = outcome with
            {
                Record = await VerificationRun.RunAsync(location.Artifacts, location.History, environment.Time, outcome.Record,
                    cluster: _ => Task.FromResult<IClusterWriter>(client), keyring: keyring, cancellationToken: cancellationToken),
            };
        }

        if (output == OutputMode.Json)
        {
            await environment.Out.WriteLineAsync(BackupJson.Create(outcome, location));
        }
        else if (output == OutputMode.Table)
        {
            BackupTables.Summary(environment, outcome, location);
        }

        return (ExitCodes.For(outcome.Record.Status), outcome);
    }
}

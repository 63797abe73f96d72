using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Verification;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata backup verify ID</c>: reads the backup back from the store and checks it against its
/// manifest (and the last verified backup, for drift), and with <c>--config</c> its volume snapshots
/// against its cluster; records the report with the run.
/// Exit 0 verified; 1 not verified — verification failed (every problem named), or the backup's volume
/// snapshots were not checked (no <c>--config</c>, or one without its cluster) and the run was not
/// Verified already, so it stays as it was; 2 bad input.
/// </summary>
internal static class BackupVerifyCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var id = new Argument<string>("backup-id") { Description = "The backup's id (see 'strata backup list')." };
        var store = new StoreOptions();
        var keys = new KeyOptions();
        var output = CommonOptions.Output();
        var config = CommonOptions.Config("the policy's drift threshold (default: 50%), and the cluster whose volume snapshots are checked.");
        var command = new Command("verify", "Prove a backup: read every artifact back from the store and check it against the manifest.") { id, output, config };
        store.AddTo(command);
        keys.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var backupId = parsed.GetValue(id)!;
            var record = await location.History.FindBackupAsync(backupId, ct);
            if (record is null)
            {
                return await environment.FailAsync($"no backup \"{backupId}\" in {location.HistoryWhere} (see 'strata backup list')");
            }

            if (!record.IsCommitted)
            {
                return await environment.FailAsync($"backup {backupId} is {record.Status}: nothing was committed to verify");
            }

            // With strata.yaml: the policy's drift threshold, and the cluster's connection for the volume snapshots
            // (without one, or when it does not name the backup's cluster, they are reported unchecked).
            ControlPlaneContext? plane = null;
            IDisposable? resources = null;
            if (parsed.GetValue(config) is { Length: > 0 } path)
            {
                try
                {
                    (plane, resources) = await ControlPlaneFactory.CreateAsync(path, location, environment.Variable, environment.Time, cancellationToken: ct);
                }
                catch (ConfigurationException e)
                {
                    return await environment.FailAsync(e.Message);
                }
            }

            var (keyring, keyError) = keys.Resolve(parsed, environment, plane?.Keyring);
            if (keyring is null)
            {
                resources?.Dispose();
                return await environment.FailAsync(keyError!);
            }

            BackupRecord verified;
            using (resources)
            {
                var threshold = plane?.Configuration.FindPolicy(record.Policy)?.Verification.DriftThreshold ?? DriftCheck.DefaultThreshold;
                Func<CancellationToken, Task<IClusterWriter>>? cluster = plane?.Configuration.FindCluster(record.Cluster) is null
                    ? null
                    : token => plane.ConnectAsync(record.Cluster, token);
                await environment.Error.WriteLineAsync($"verifying {record.Artifacts.Count} artifact(s) of {backupId} from {location.ArtifactsWhere}…");
                verified = await VerificationRun.RunAsync(location.Artifacts, location.History, environment.Time, record, threshold, cluster, keyring, ct);
            }

            var report = verified.Verification!;
            var proven = report.Proves || (report.Passed && verified.Status == BackupStatus.Verified);
            if (report.Passed && !report.Proves)
            {
                // The report cannot raise the run's status: say why it stayed, and how to prove it.
                await environment.Error.WriteLineAsync(verified.Status == BackupStatus.Verified
                    ? $"{backupId} stays Verified (from an earlier verification): {BackupTables.Unchecked(report)} this time (pass --config)"
                    : $"not verified: {BackupTables.Unchecked(report)} (pass --config); {backupId} stays {verified.Status}");
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(BackupJson.One(verified, location));
            }
            else
            {
                var console = BackupTables.Console(environment);
                BackupTables.Header(console, verified, location);
                BackupTables.Verification(console, verified);
            }

            return proven ? ExitCodes.Succeeded : ExitCodes.PartiallyFailed;
        });
        return command;
    }
}

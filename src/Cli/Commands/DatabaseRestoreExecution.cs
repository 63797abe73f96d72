using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Configuration;
using Strata.Core.Databases;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata restore create --from-backup ID --database NS/TARGET/DB [--to-database NAME] [--to-pod POD] [--clean]</c>:
/// streams one dump of a backup into a database through the target's executor, as strata.yaml defines the target (its
/// pod or host, its password) — into a new database by default; over a non-empty one only with <c>--clean</c>. An
/// encrypted dump is read once first (<see cref="DumpRestore.CheckAsync"/>), so a damaged one is refused before anything is applied.
/// </summary>
internal static class DatabaseRestoreExecution
{
    public sealed record Request(string BackupId, string Database, string? ToDatabase, string? ToPod, string? ToCluster, bool Clean, bool AllowUnsigned = false);

    public static async Task<int> RunAsync(string? configuration, Request request, StoreLocation location, OutputMode output, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (request.Database.Split('/', 3) is not [var ns, var targetName, var databaseName] || ns.Length == 0 || targetName.Length == 0 || databaseName.Length == 0)
        {
            return await environment.FailAsync($"--database: '{request.Database}' is not NAMESPACE/TARGET/DATABASE (see the backup's manifest, 'strata backup describe')");
        }

        (Core.ControlPlane.ControlPlaneContext Context, IDisposable Resources) handle;
        try
        {
            handle = await ControlPlaneFactory.CreateAsync(configuration, location, environment.Variable, environment.Time, cancellationToken: cancellationToken);
        }
        catch (ConfigurationException e)
        {
            return await environment.FailAsync(e.Message);
        }

        using (handle.Resources)
        {
            var context = handle.Context;
            if (await context.History.FindBackupAsync(request.BackupId, cancellationToken) is not { } backup)
            {
                return await environment.FailAsync($"backup {request.BackupId} is not in {location.HistoryWhere}");
            }

            // Opened like every restore: its signature checked, its data key unwrapped (an encrypted dump decrypts as it streams).
            OpenedBackup? opened;
            try
            {
                opened = await BackupOpening.OpenAsync(context.Stores.Default, backup.Location, context.Keyring, context.RestoreOptions.SignatureRequiredFor(backup, request.AllowUnsigned), cancellationToken);
            }
            catch (Exception e) when (e is BackupTrustException or InvalidDataException)
            {
                return await environment.FailAsync($"refused: {e.Message}; nothing was restored");
            }

            using var openedBackup = opened;
            if (opened is { Signature.State: not Core.Encryption.SignatureState.Valid })
            {
                await environment.Error.WriteLineAsync($"warning: backup {backup.Id}: {opened.Signature.Detail}; its hashes are checked, but not proven to be the ones written");
            }

            var dumps = opened?.Manifest.Databases ?? [];
            if (dumps.FirstOrDefault(d => d.Namespace == ns && d.Target == targetName && d.Database == databaseName) is not { } dump)
            {
                var held = dumps.Where(d => d.Database is not null).Select(d => $"{d.Namespace}/{d.Target}/{d.Database}").ToList();
                return await environment.FailAsync($"backup {backup.Id} holds no dump of {request.Database}" + (held.Count == 0 ? "" : $" (it holds: {string.Join(", ", held)})"));
            }

            if (context.Configuration.FindPolicy(backup.Policy)?.Databases.FirstOrDefault(t => t.Name == targetName) is not { } target)
            {
                return await environment.FailAsync($"{context.Configuration.Source}: policy '{backup.Policy}' has no database target '{targetName}', which says how to reach the server");
            }

            if (target.Executor == DatabaseExecutor.Direct && (request.ToPod ?? request.ToCluster) is not null)
            {
                return await environment.FailAsync(
                    $"target '{targetName}' is a direct one (host {target.Host}): --to-pod and --to-cluster do not move it; restore with --to-database, or define the other server as a target in strata.yaml");
            }

            if (request.ToPod is { } pod)
            {
                target = target with { Pod = pod, PodSelector = null };
            }

            var clusterName = request.ToCluster ?? backup.Cluster;
            if (context.Configuration.FindCluster(clusterName) is not { } cluster)
            {
                return await environment.FailAsync($"cluster '{clusterName}' is not in {context.Configuration.Source}");
            }

            var into = request.ToDatabase ?? databaseName;
            var started = environment.Time.GetTimestamp();
            var encrypted = opened!.Manifest.Encryption?.EncryptedArtifacts.Contains(dump.Path) == true;
            if (encrypted)
            {
                // An encrypted dump is authenticated chunk by chunk as it is read: streamed straight into pg_restore, a
                // truncated or altered one would be found out only after part of it was applied. So it is read once first
                // (decrypted, every chunk and the manifest's SHA-256 checked, nothing kept), then applied.
                await environment.Error.WriteLineAsync($"checking the encrypted dump {dump.Path} ({dump.Size:N0} bytes): decrypting it and its SHA-256 against the manifest before anything is applied …");
                try
                {
                    await DumpRestore.CheckAsync(opened.Artifacts, backup.Location, dump, cancellationToken);
                }
                catch (Exception e) when (e is Core.Encryption.ArtifactDecryptionException or DatabaseTargetException or Core.Ports.ArtifactNotFoundException)
                {
                    return await environment.FailAsync($"refused: {e.Message}; nothing was restored");
                }
            }

            try
            {
                var client = await context.Clusters.ConnectAsync(cluster, cancellationToken);
                var connector = new DatabaseConnector(client, client, context.HostCommands, context.Secrets);
                var session = DatabaseSession.For(await connector.ConnectAsync(target, cancellationToken));
                await environment.Error.WriteLineAsync($"restoring {dump.Path} ({dump.Size:N0} bytes) into {into} on {session.Database} …");
                await DumpRestore.RestoreAsync(session, opened.Artifacts, backup.Location, dump, into, request.Clean, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The target, the store or the cluster: one line, what failed and where.
                return await environment.FailAsync(e is DatabaseTargetException ? e.Message : $"restoring {request.Database} into {into} failed: {e.Message}");
            }

            var seconds = environment.Time.GetElapsedTime(started).TotalSeconds;
            if (output == OutputMode.Json)
            {
                var json = new JsonObject
                {
                    ["backupId"] = backup.Id,
                    ["database"] = request.Database,
                    ["restoredInto"] = into,
                    ["cluster"] = cluster.Name,
                    ["bytes"] = dump.Size,
                    ["checkedBeforeApplying"] = encrypted,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["tables"] = dump.Contents?.Tables.Count,
                    ["rows"] = dump.Contents?.TotalRows,
                };
                await environment.Out.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                await environment.Out.WriteLineAsync($"Restored {request.Database} of backup {backup.Id} into database {into} ({cluster.Name}) in {seconds:0.0} s: "
                    + $"{dump.Size:N0} bytes" + (dump.Contents is { } c ? $", {c.Tables.Count} tables, {c.TotalRows:N0} rows" : "")
                    + (encrypted ? " (encrypted: decrypted and checked against the manifest before it was applied)" : ""));
            }

            return ExitCodes.Succeeded;
        }
    }
}

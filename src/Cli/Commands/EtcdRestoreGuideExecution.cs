using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata restore create --from-backup ID --etcd [--to-dir DIR]</c>: touches no cluster. Downloads the backup's etcd
/// snapshot into DIR (default <c>./etcd-restore-{id}</c>), checked on the way (etcd's SHA-256 trailer, the bbolt header,
/// the manifest's size and SHA-256), then writes <c>restore-etcd.sh</c> and <c>README.md</c> beside it
/// (<see cref="EtcdRestoreGuide"/>). Exit 0 written, 1 the snapshot failed its checks (no script is written, nothing is
/// left in DIR), 2 bad input (no such backup, no etcd snapshot in it, DIR already holds a guide).
/// </summary>
internal static class EtcdRestoreGuideExecution
{
    public static async Task<int> RunAsync(string backupId, string? directory, StoreLocation location, OutputMode output, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (!BackupId.IsValid(backupId))
        {
            return await environment.FailAsync($"'{backupId}' is not a backup id");
        }

        var prefix = (await location.History.FindBackupAsync(backupId, cancellationToken))?.Location ?? await FindInStoreAsync(location, backupId, cancellationToken);
        if (prefix is null)
        {
            return await environment.FailAsync($"no backup '{backupId}' in {location.HistoryWhere} or in the store at {location.ArtifactsWhere}");
        }

        BackupManifest? manifest;
        try
        {
            manifest = await ManifestFile.ReadAsync(location.Artifacts, prefix, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return await environment.FailAsync($"backup {backupId}: {e.Message}");
        }

        if (manifest is null)
        {
            return await environment.FailAsync($"backup {backupId} has no manifest: it never completed, so its etcd snapshot cannot be checked");
        }

        if (manifest.Etcd?.Snapshot is not { } snapshot)
        {
            return await environment.FailAsync($"backup {backupId} has no etcd snapshot"
                + (manifest.Etcd is null ? ": its policy has no etcd layer" : manifest.Etcd.NotApplicable is { } why ? $": {why}" : ": the etcd layer took none (see 'strata backup describe')"));
        }

        var folder = Path.GetFullPath(directory ?? EtcdRestoreGuide.DefaultFolder(backupId));
        var files = new[] { EtcdRestoreGuide.SnapshotName, EtcdRestoreGuide.ScriptName, EtcdRestoreGuide.ReadmeName }.Select(f => Path.Combine(folder, f)).ToList();
        if (files.FirstOrDefault(File.Exists) is { } existing)
        {
            return await environment.FailAsync($"{existing} exists: give another --to-dir, or remove it");
        }

        Directory.CreateDirectory(folder);
        var partial = files[0] + ".part";
        string? problem;
        var started = environment.Time.GetTimestamp();
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await environment.Error.WriteLineAsync($"downloading {snapshot.Path} of backup {backupId} ({snapshot.Size:N0} bytes), checking it on the way …");
            try
            {
                problem = await EtcdSnapshotDownload.CopyAsync(location.Artifacts, prefix, snapshot, file, cancellationToken);
            }
            catch
            {
                await file.DisposeAsync();
                File.Delete(partial);
                throw;
            }
        }

        if (problem is not null)
        {
            File.Delete(partial);
            await environment.Error.WriteLineAsync($"strata: {problem}; nothing was written to {folder}");
            return ExitCodes.PartiallyFailed;
        }

        File.Move(partial, files[0]);
        var now = environment.Time.GetUtcNow();
        await File.WriteAllTextAsync(files[1], EtcdRestoreGuide.Script(manifest, now), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(files[1], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        await File.WriteAllTextAsync(files[2], EtcdRestoreGuide.Readme(manifest, now), cancellationToken);
        var seconds = environment.Time.GetElapsedTime(started).TotalSeconds;
        if (output == OutputMode.Json)
        {
            var json = new JsonObject
            {
                ["backupId"] = backupId,
                ["cluster"] = manifest.Cluster,
                ["folder"] = folder,
                ["snapshot"] = files[0],
                ["script"] = files[1],
                ["readme"] = files[2],
                ["bytes"] = snapshot.Size,
                ["sha256"] = snapshot.Sha256,
                ["revision"] = snapshot.Revision,
                ["raftIndex"] = snapshot.RaftIndex,
                ["members"] = new JsonArray([.. EtcdRestoreGuide.Restored(snapshot).Select(m => (JsonNode)m.Name)]),
                ["seconds"] = Math.Round(seconds, 3),
            };
            await environment.Out.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else if (output == OutputMode.Table)
        {
            EtcdRecoveryTables.Guide(environment, manifest, snapshot, folder, files);
        }

        return ExitCodes.Succeeded;
    }

    private static async Task<string?> FindInStoreAsync(StoreLocation location, string backupId, CancellationToken cancellationToken)
    {
        await foreach (var artifact in location.Artifacts.ListAsync(ArtifactLayout.BackupsRoot, cancellationToken))
        {
            if (ArtifactLayout.TryParseKey(artifact.Key, out var key) && key.BackupId == backupId)
            {
                return key.BackupPrefix;
            }
        }

        return null;
    }
}

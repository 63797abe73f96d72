using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Etcd;
using Strata.Core.Restore;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata restore create --from-backup ID --etcd [--to-dir DIR]</c>: touches no cluster. Downloads the backup's etcd
/// snapshot into DIR (default <c>./etcd-restore-{id}</c>), checked on the way (etcd's SHA-256 trailer, the bbolt header,
/// the manifest's size and SHA-256), then writes <c>restore-etcd.sh</c> and <c>README.md</c> beside it
/// (<see cref="EtcdRestoreGuide"/>). DIR is created 0700 and every file 0600 (the script 0700): the snapshot holds every
/// Secret of the cluster. Exit 0 written, 1 the snapshot failed its checks (no script is written, nothing is
/// left in DIR), 2 bad input (no such backup, no etcd snapshot in it, DIR already holds a guide).
/// </summary>
internal static class EtcdRestoreGuideExecution
{
    public static async Task<int> RunAsync(
        string backupId, string? directory, StoreLocation location, OutputMode output, CliEnvironment environment, Keyring? keyring, CancellationToken cancellationToken,
        bool allowUnsigned = false)
    {
        var (prefix, notFound) = await BackupLookup.FindAsync(location, backupId, cancellationToken);
        if (prefix is null)
        {
            return await environment.FailAsync(notFound!);
        }

        var recorded = await location.History.FindBackupAsync(backupId, cancellationToken);

        // Opened like every restore: its signature checked, its data key unwrapped (an encrypted snapshot decrypts as it streams).
        OpenedBackup? opened;
        try
        {
            var trust = new RestoreOptions { Keyring = keyring ?? Keyring.None };
            opened = await BackupOpening.OpenAsync(location.Artifacts, prefix, trust.Keyring, trust.SignatureRequiredFor(recorded, allowUnsigned), cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return await environment.FailAsync($"backup {backupId}: {e.Message}");
        }
        catch (BackupTrustException e)
        {
            return await environment.FailAsync($"refused: {e.Message}; nothing was written");
        }

        using var openedBackup = opened;
        var manifest = opened?.Manifest;

        if (manifest is null)
        {
            return await environment.FailAsync($"backup {backupId} has no manifest: it never completed, so its etcd snapshot cannot be checked");
        }

        if (opened!.Signature.State != SignatureState.Valid)
        {
            await environment.Error.WriteLineAsync($"warning: backup {backupId}: {opened.Signature.Detail}; its hashes are checked, but not proven to be the ones written");
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

        if (PrivateOutput.Refusal(folder) is { } open)
        {
            return await environment.FailAsync(open);
        }

        // The snapshot holds every Secret of the cluster: the folder is the owner's alone (0700) and every file is
        // created 0600 (the script 0700), never readable by others even for a moment. An encrypted snapshot is written
        // decrypted (opened.Artifacts is the decrypting view): etcdutl reads only plaintext.
        PrivateOutput.Create(folder);
        var partial = files[0] + ".part";
        File.Delete(partial); // a leftover of an interrupted run would keep its mode: start afresh
        string? problem;
        var started = environment.Time.GetTimestamp();
        await using (var file = new FileStream(partial, PrivateOutput.FileOptionsFor(FileMode.Create)))
        {
            await environment.Error.WriteLineAsync($"downloading {snapshot.Path} of backup {backupId} ({snapshot.Size:N0} bytes), checking it on the way"
                + (opened!.Manifest.Encryption?.EncryptedArtifacts.Contains(snapshot.Path) == true ? " and decrypting it (etcdutl reads plaintext; the file is 0600 in a 0700 folder)" : "") + " …");
            try
            {
                problem = await EtcdSnapshotDownload.CopyAsync(opened!.Artifacts, prefix, snapshot, file, cancellationToken);
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
        await WriteAsync(files[1], EtcdRestoreGuide.Script(manifest, now), PrivateOutput.OwnerOnly, cancellationToken);
        await WriteAsync(files[2], EtcdRestoreGuide.Readme(manifest, now), PrivateOutput.OwnerReadWrite, cancellationToken);
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

    private static async Task WriteAsync(string path, string text, UnixFileMode mode, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, PrivateOutput.FileOptionsFor(FileMode.CreateNew, mode));
        await using var writer = new StreamWriter(file, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}

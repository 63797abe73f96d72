using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata decrypt --backup ID --key REF… --output DIR</c>: writes a backup as plain files that <c>kubectl apply</c>
/// and <c>pg_restore</c> take (<see cref="PlaintextExport"/>, the same bytes as <c>tools/decrypt/strata_decrypt.py</c>):
/// the backup opened (its signature checked, its data key unwrapped with the keys given, then strata.yaml's), every
/// artifact checked against the manifest on the way. Refuses a DIR that exists and is not empty, or that group or others
/// can access; DIR is created 0700 and every file 0600 (<see cref="PrivateOutput"/>), and a failed export deletes what it wrote.
/// Exit 0 written; 2 refused (bad input, invalid signature, no key unwraps, an artifact that does not decrypt or match).
/// </summary>
internal static class DecryptCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var backup = new Option<string>("--backup") { Description = "The backup to decrypt (see 'strata backup list').", Required = true };
        var outputDir = new Option<string>("--output") { Description = "The folder to write into: created; refused when it exists and is not empty.", Required = true };
        var config = CommonOptions.Config("its encryption keys (tried after --key) and its signing key.");
        var keys = new KeyOptions();
        var store = new StoreOptions();
        var allowUnsigned = CommonOptions.AllowUnsigned("Decrypt", reported: false);
        // --output is the folder (as the Python recipe names it), so the format is --format here.
        var output = new Option<string>("--format") { Description = "Output format: table or json.", DefaultValueFactory = _ => "table" }.AcceptOnlyFromAmong("table", "json");
        var command = new Command("decrypt", "Write a backup as plain files (Secret values and encrypted artifacts decrypted) for kubectl apply and pg_restore.")
        {
            backup, outputDir, config, output, allowUnsigned,
        };
        keys.AddTo(command);
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var folder = Path.GetFullPath(parsed.GetValue(outputDir)!);
            if (File.Exists(folder) || (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()))
            {
                return await environment.FailAsync($"{folder} exists and is not empty: give a new or empty --output folder");
            }

            if (PrivateOutput.Refusal(folder) is { } open)
            {
                return await environment.FailAsync(open);
            }

            var (keyring, keyError) = await keys.ResolveAsync(parsed, environment, parsed.GetValue(config), ct);
            if (keyring is null)
            {
                return await environment.FailAsync(keyError!);
            }

            var location = store.Resolve(parsed, environment);
            var backupId = parsed.GetValue(backup)!;
            var (prefix, notFound) = await BackupLookup.FindAsync(location, backupId, ct);
            if (prefix is null)
            {
                return await environment.FailAsync(notFound!);
            }

            OpenedBackup? opened;
            try
            {
                var recorded = await location.History.FindBackupAsync(backupId, ct);
                var required = new Core.Restore.RestoreOptions { Keyring = keyring }.SignatureRequiredFor(recorded, parsed.GetValue(allowUnsigned));
                opened = await BackupOpening.OpenAsync(location.Artifacts, prefix, keyring, required, ct);
            }
            catch (Exception e) when (e is BackupTrustException or InvalidDataException)
            {
                return await environment.FailAsync($"refused: {e.Message}; nothing was written");
            }

            if (opened is null)
            {
                return await environment.FailAsync($"backup {backupId} has no manifest: it never completed, so nothing in it can be checked");
            }

            using (opened)
            {
                var written = PrivateOutput.Create(folder);
                PlaintextExportSummary summary;
                try
                {
                    summary = await PlaintextExport.ExportAsync(opened.Artifacts, prefix, opened.Manifest, opened.ManifestBytes, opened.DataKey,
                        (path, token) => Task.FromResult(written.CreateFile(path)), ct);
                }
                catch (Exception e) when (e is ArtifactRejectedException or ArtifactDecryptionException or InvalidDataException or Core.Ports.ArtifactNotFoundException)
                {
                    written.DeleteWritten();
                    return await environment.FailAsync($"backup {backupId}: {e.Message}; what was written to {folder} was deleted");
                }
                catch
                {
                    written.DeleteWritten();
                    throw;
                }

                var signature = SignatureText.Of(opened.Signature)!;
                if (parsed.GetValue(output) == "json")
                {
                    await environment.Out.WriteLineAsync(new JsonObject
                    {
                        ["backupId"] = backupId,
                        ["folder"] = folder,
                        ["files"] = summary.Files,
                        ["bytes"] = summary.Bytes,
                        ["secretsDecrypted"] = summary.SecretsDecrypted,
                        ["encrypted"] = opened.Manifest.Encryption is not null,
                        ["signature"] = opened.Signature.State.ToString(),
                        ["signatureKeyId"] = opened.Signature.Signature?.KeyId,
                    }.ToJsonString(BackupJson.Indented));
                }
                else
                {
                    EncryptionTables.Decrypted(environment, backupId, folder, summary, opened.Manifest, signature);
                }

                return ExitCodes.Succeeded;
            }
        });
        return command;
    }
}

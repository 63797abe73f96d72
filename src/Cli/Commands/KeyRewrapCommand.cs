using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Strata.Adapters.Encryption;
using Strata.Adapters.Secrets;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Serialization;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata key rewrap --backup ID --key OLD… --new-key REF</c>: key rotation without touching the (write-once)
/// artifacts — the backup's data key unwrapped with a key that can (the keys given, then strata.yaml's), wrapped with
/// the new key-encryption key, and written once as a sidecar under <c>keys/</c>; prints every key id now able to unwrap.
/// Exit 0 written; 2 refused (bad input, not encrypted, no key unwraps, the new key cannot wrap).
/// </summary>
internal static class KeyRewrapCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var backup = new Option<string>("--backup") { Description = "The backup whose data key to wrap again (see 'strata backup list').", Required = true };
        var newKey = new Option<string>("--new-key")
        {
            Description = "The key-encryption key to wrap it with: file:/path/key.pem (an RSA public key will do), file:/path/aes.key or env:VARIABLE (base64 AES-256), keyVault:VAULT/KEY[/VERSION].",
            Required = true,
        };
        var config = CommonOptions.Config("its encryption keys (tried after --key) and its signing key.");
        var keys = new KeyOptions("A key that unwraps the backup's data key now (repeatable; tried before strata.yaml's).");
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("rewrap", "Wrap a backup's data key with another key-encryption key (a sidecar next to the manifest; the artifacts are not touched).")
        {
            backup, newKey, config, output,
        };
        keys.AddTo(command);
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var (keyring, keyError) = await keys.ResolveAsync(parsed, environment, parsed.GetValue(config), ct);
            if (keyring is null)
            {
                return await environment.FailAsync(keyError!);
            }

            TokenCredential? credential = environment.AzureCredential;
            TokenCredential Credential() => credential ??= new DefaultAzureCredential();
            IKeyEncryptionKey target;
            try
            {
                target = KeyringFactory.FromReference(parsed.GetValue(newKey)!, new SecretResolver(environment.Variable, environment.AzureCredential), Credential);
            }
            catch (KeyUnwrapException e)
            {
                return await environment.FailAsync($"--new-key: {e.Message}");
            }

            if (!target.CanWrap)
            {
                return await environment.FailAsync($"--new-key {target.Name} cannot wrap a key");
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
                opened = await BackupOpening.OpenAsync(location.Artifacts, prefix, keyring, requireSignature: false, ct);
            }
            catch (Exception e) when (e is BackupTrustException or InvalidDataException)
            {
                return await environment.FailAsync($"refused: {e.Message}; nothing was written");
            }

            using (opened)
            {
                if (opened?.DataKey is not { } dataKey)
                {
                    return await environment.FailAsync(opened is null
                        ? $"backup {backupId} has no manifest: it never completed"
                        : $"backup {backupId} is not encrypted: it has no data key to wrap");
                }

                WrappedKey wrapped;
                try
                {
                    wrapped = await target.WrapAsync(dataKey, ct);
                }
                catch (KeyUnwrapException e)
                {
                    return await environment.FailAsync($"--new-key: {e.Message}; nothing was written");
                }

                var now = environment.Time.GetUtcNow();
                wrapped = wrapped with { Name = wrapped.Name ?? target.Name, WrappedAt = wrapped.WrappedAt ?? now };
                var sidecar = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.WrappedKeyPath(now, wrapped.KeyId));
                await using (var upload = await location.Artifacts.CreateAsync(sidecar, ct))
                {
                    await upload.Content.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(wrapped, StrataJson.Default.WrappedKey), ct);
                    await upload.CommitAsync(ct);
                }

                var all = opened.Manifest.Encryption!.WrappedKeys.Concat(await BackupOpening.SidecarsAsync(location.Artifacts, prefix, ct))
                    .GroupBy(w => w.KeyId, StringComparer.Ordinal).Select(g => g.First()).ToList();
                if (parsed.GetValue(output) == "json")
                {
                    await environment.Out.WriteLineAsync(new JsonObject
                    {
                        ["backupId"] = backupId,
                        ["sidecar"] = sidecar,
                        ["keyId"] = wrapped.KeyId,
                        ["keys"] = new JsonArray([.. all.Select(w => (JsonNode)new JsonObject { ["keyId"] = w.KeyId, ["name"] = w.Name, ["algorithm"] = w.Algorithm })]),
                    }.ToJsonString(BackupJson.Indented));
                }
                else
                {
                    EncryptionTables.Rewrapped(environment, backupId, wrapped, target.Name, location.Where(sidecar), all);
                }

                return ExitCodes.Succeeded;
            }
        });
        return command;
    }
}

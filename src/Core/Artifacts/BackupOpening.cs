using System.Text.Json;
using Strata.Core.Encryption;
using Strata.Core.Ports;
using Strata.Core.Serialization;

namespace Strata.Core.Artifacts;

/// <summary>
/// The one way verification, restore, drills and <c>strata decrypt</c> read a backup: the manifest's exact bytes →
/// its signature checked (<c>manifest.sig</c>; an invalid one refuses the backup, before any hash in the manifest is
/// trusted) → the data key unwrapped (the wrappings in the manifest and every sidecar under <c>keys/</c>; the keys that
/// say they made a wrapping are tried first, then every other key that can unwrap) → a view of the store that decrypts
/// what was encrypted whole. Everything that can refuse a backup does so here, before anything is applied.
/// </summary>
public static class BackupOpening
{
    /// <summary>
    /// Opens the backup at <paramref name="prefix"/>: null when it has no manifest (it never completed); an
    /// <see cref="InvalidDataException"/> when the manifest is unreadable; a <see cref="BackupTrustException"/> when
    /// its signature is invalid, when <paramref name="requireSignature"/> and it is not signed by a key of
    /// <paramref name="keyring"/>, or when it is encrypted and no key of <paramref name="keyring"/> unwraps its data key.
    /// </summary>
    public static async Task<OpenedBackup?> OpenAsync(
        IArtifactStore store, string prefix, Keyring keyring, bool requireSignature, CancellationToken cancellationToken = default)
    {
        var key = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.Manifest);
        if (await ManifestFile.ReadBytesAsync(store, prefix, cancellationToken) is not { } bytes)
        {
            return null;
        }

        var manifest = ManifestFile.Read(bytes, key);
        var signature = await CheckSignatureAsync(store, prefix, bytes, keyring.Signer, cancellationToken);
        if (signature.State == SignatureState.Invalid)
        {
            throw new BackupTrustException(BackupTrustReason.InvalidSignature,
                $"backup {manifest.BackupId}: {signature.Detail}: the manifest was changed after it was signed, so no hash in it can be trusted");
        }

        // A missing signature, one by a key Strata does not hold, and one the signer could not check are all "not valid":
        // anyone who can write to the store can delete manifest.sig or sign with a key of their own.
        if (requireSignature && signature.State != SignatureState.Valid)
        {
            throw new BackupTrustException(BackupTrustReason.NotSigned,
                $"backup {manifest.BackupId}: {signature.Detail}, and a valid signature"
                + (keyring.Signer is { } signer ? $" by {signer.Name}" : " (checked with strata.yaml's signing key: give --config)") + " is required "
                + "(the run history records it as signed, or it is not in the run history and manifests are signed): its manifest and artifacts may have been replaced. "
                + "Only for a backup known to be written unsigned, go ahead with --allow-unsigned");
        }

        if (manifest.Encryption is not { } encryption)
        {
            return new OpenedBackup(prefix, manifest, signature, store, null) { ManifestBytes = bytes };
        }

        if (encryption.Scheme != EncryptionRecord.CurrentScheme)
        {
            throw new BackupTrustException(BackupTrustReason.UnknownScheme,
                $"backup {manifest.BackupId} is encrypted with '{encryption.Scheme}', which this Strata does not read ({EncryptionRecord.CurrentScheme}); upgrade Strata");
        }

        var wrapped = encryption.WrappedKeys.Concat(await SidecarsAsync(store, prefix, cancellationToken)).ToList();
        var dataKey = await UnwrapAsync(manifest.BackupId, wrapped, keyring, encryption.KeyCheck, cancellationToken);
        var encrypted = new HashSet<string>(encryption.EncryptedArtifacts, StringComparer.Ordinal);
        return new OpenedBackup(prefix, manifest, signature, new BackupCipherStore(store, prefix, dataKey, encrypted.Contains) { ChunkSize = encryption.ChunkSize is > 0 and <= ChunkedFormat.MaxChunkSize ? encryption.ChunkSize : ChunkedFormat.DefaultChunkSize }, dataKey) { ManifestBytes = bytes };
    }

    /// <summary>
    /// What <c>manifest.sig</c> says about <paramref name="manifest"/>'s bytes: unsigned when there is none; invalid when it
    /// is unreadable or does not match; unknown key when <paramref name="signer"/> (if any) cannot check its key;
    /// unverifiable when the signer failed (its exception's message in the detail).
    /// </summary>
    public static async Task<SignatureCheck> CheckSignatureAsync(
        IArtifactStore store, string prefix, byte[] manifest, IManifestSigner? signer, CancellationToken cancellationToken = default)
    {
        if (await ManifestFile.ReadBlobAsync(store, ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.ManifestSignature), cancellationToken) is not { } bytes)
        {
            return SignatureCheck.Unsigned;
        }

        ManifestSignature? signature;
        try
        {
            signature = JsonSerializer.Deserialize(bytes, StrataJson.Default.ManifestSignature);
        }
        catch (JsonException)
        {
            signature = null;
        }

        if (signature is null || string.IsNullOrEmpty(signature.KeyId) || string.IsNullOrEmpty(signature.Value))
        {
            return new SignatureCheck(SignatureState.Invalid, null, $"{ArtifactLayout.ManifestSignature} is not a signature");
        }

        if (signer is null)
        {
            return new SignatureCheck(SignatureState.UnknownKey, signature, $"signed by {signature.KeyId} ({signature.Algorithm}); no signing key is configured to check it");
        }

        bool? verified;
        try
        {
            verified = await signer.VerifyAsync(manifest, signature, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Core cannot name the adapters' exceptions (a Key Vault outage, a secret that cannot be read, a bad key): the
            // signature is then not known to be valid, which is refused like an invalid one where a signature is required.
            return new SignatureCheck(SignatureState.Unverifiable, signature,
                $"the signature by {signature.KeyId} ({signature.Algorithm}) could not be checked with {signer.Name}: {e.Message}");
        }

        return verified switch
        {
            true => new SignatureCheck(SignatureState.Valid, signature, $"valid ({signature.Algorithm}, key {signature.KeyId})"),
            false => new SignatureCheck(SignatureState.Invalid, signature, $"the signature by {signature.KeyId} ({signature.Algorithm}) does not match the manifest"),
            null => new SignatureCheck(SignatureState.UnknownKey, signature, $"signed by {signature.KeyId} ({signature.Algorithm}), not by {signer.Name}: it cannot be checked"),
        };
    }

    /// <summary>The later wrappings of the data key (<c>strata key rewrap</c>), each a sidecar under <c>keys/</c>; unreadable ones are passed over.</summary>
    public static async Task<IReadOnlyList<WrappedKey>> SidecarsAsync(IArtifactStore store, string prefix, CancellationToken cancellationToken = default)
    {
        var found = new List<WrappedKey>();
        var folder = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.KeysFolder);
        await foreach (var info in store.ListAsync(folder, cancellationToken))
        {
            if (await ManifestFile.ReadBlobAsync(store, info.Key, cancellationToken) is not { } bytes)
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize(bytes, StrataJson.Default.WrappedKey) is { KeyId.Length: > 0, Value.Length: > 0 } wrapped)
                {
                    found.Add(wrapped);
                }
            }
            catch (JsonException)
            {
                // A sidecar that is not a wrapped key holds no key to try; the others may.
            }
        }

        return found;
    }

    /// <summary>
    /// The data key, unwrapped by the first key that can: those that say they made one of the wrappings first, then every
    /// other key that can unwrap, against each wrapping of its algorithm. With <paramref name="keyCheck"/> (the signed
    /// manifest's <see cref="EncryptionRecord.KeyCheck"/>), an unwrapped key that does not match it is passed over: a
    /// sidecar is not signed, and anyone with a public key-encryption key can wrap a key of their own. None: one error
    /// naming what is there and what was tried.
    /// </summary>
    public static async Task<DataKey> UnwrapAsync(
        string backupId, IReadOnlyList<WrappedKey> wrapped, Keyring keyring, string? keyCheck = null, CancellationToken cancellationToken = default)
    {
        var tried = new List<string>();
        var transient = false;
        var matching = keyring.Keys.Where(k => k.CanUnwrap && wrapped.Any(k.Matches)).ToList();
        var others = keyring.Keys.Where(k => k.CanUnwrap && !matching.Contains(k)).ToList();
        foreach (var (kek, candidates) in matching.Select(k => (k, wrapped.Where(k.Matches).ToList()))
            .Concat(others.Select(k => (k, wrapped.ToList()))))
        {
            foreach (var candidate in candidates)
            {
                DataKey unwrapped;
                try
                {
                    unwrapped = await kek.UnwrapAsync(candidate, cancellationToken);
                }
                catch (KeyUnwrapException e)
                {
                    transient |= e.IsTransient;
                    tried.Add($"{kek.Name} on {candidate.KeyId}: {e.Message}");
                    continue;
                }

                if (keyCheck is null || KeyCheckValue.Matches(unwrapped, keyCheck))
                {
                    return unwrapped;
                }

                unwrapped.Dispose();
                tried.Add($"{kek.Name} on {candidate.KeyId}{(candidate.Name is null ? "" : $" ({candidate.Name})")}: unwraps a key that fails the manifest's key check (not this backup's data key; a planted sidecar?)");
            }

            if (candidates.Count == 0)
            {
                tried.Add($"{kek.Name}: no wrapping to try");
            }
        }

        foreach (var kek in keyring.Keys.Where(k => !k.CanUnwrap))
        {
            tried.Add($"{kek.Name}: wraps only (its private half is held elsewhere)");
        }

        var present = wrapped.Count == 0 ? "none" : string.Join(", ", wrapped.Select(w => w.Name is null ? w.KeyId : $"{w.KeyId} ({w.Name})").Distinct(StringComparer.Ordinal));
        var attempts = tried.Count == 0 ? "no key is configured (encryption.keys in strata.yaml, or --key)" : string.Join("; ", tried);
        throw new BackupTrustException(BackupTrustReason.NoKeyUnwraps,
            $"backup {backupId} is encrypted, and no key unwraps its data key. Wrapped for: {present}. Tried: {attempts}", transient);
    }
}

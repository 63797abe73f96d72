using System.Text.Json;
using Strata.Core.Encryption;
using Strata.Core.Ports;
using Strata.Core.Serialization;

namespace Strata.Core.Artifacts;

/// <summary>
/// <c>manifest.json</c> in the store, written and read in one place: written last, as the backup's commit
/// marker; read back strictly (a newer format version is refused with the reason).
/// </summary>
public static class ManifestFile
{
    /// <summary>
    /// Writes the manifest of the backup at <paramref name="backupPrefix"/>, once (the store never overwrites). With a
    /// <paramref name="signer"/>: serialize → sign those exact bytes → <c>manifest.sig</c> → <c>manifest.json</c>, so the
    /// manifest stays the commit marker and is never visible without its signature.
    /// </summary>
    /// <returns>The bytes written, and the signature written beside them (null when unsigned).</returns>
    public static async Task<(byte[] Bytes, ManifestSignature? Signature)> WriteAsync(
        IArtifactStore store, string backupPrefix, BackupManifest manifest, IManifestSigner? signer = null, CancellationToken cancellationToken = default)
    {
        var bytes = Serialize(manifest);
        ManifestSignature? signature = null;
        if (signer is not null)
        {
            signature = await signer.SignAsync(bytes, cancellationToken);
            await WriteBlobAsync(store, ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.ManifestSignature),
                JsonSerializer.SerializeToUtf8Bytes(signature, StrataJson.Default.ManifestSignature), cancellationToken);
        }

        await WriteBlobAsync(store, ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.Manifest), bytes, cancellationToken);
        return (bytes, signature);
    }

    /// <summary>The bytes a manifest is stored (and signed) as.</summary>
    public static byte[] Serialize(BackupManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest);

    /// <summary>The stored bytes of the manifest of the backup at <paramref name="backupPrefix"/> (what its signature covers); null when there is none.</summary>
    public static async Task<byte[]?> ReadBytesAsync(IArtifactStore store, string backupPrefix, CancellationToken cancellationToken = default) =>
        await ReadBlobAsync(store, ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.Manifest), cancellationToken);

    /// <summary>A small blob's bytes; null when there is none.</summary>
    internal static async Task<byte[]?> ReadBlobAsync(IArtifactStore store, string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes a small blob once.</summary>
    internal static async Task WriteBlobAsync(IArtifactStore store, string key, byte[] bytes, CancellationToken cancellationToken)
    {
        await using var upload = await store.CreateAsync(key, cancellationToken);
        await upload.Content.WriteAsync(bytes, cancellationToken);
        await upload.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the manifest of the backup at <paramref name="backupPrefix"/>: null when there is none
    /// (the backup never completed), a clear <see cref="InvalidDataException"/> when it is unreadable.
    /// </summary>
    public static async Task<BackupManifest?> ReadAsync(IArtifactStore store, string backupPrefix, CancellationToken cancellationToken = default)
    {
        var key = ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.Manifest);
        return await ReadBlobAsync(store, key, cancellationToken) is { } bytes ? Read(bytes, key) : null;
    }

    /// <summary>Reads a manifest; a clear <see cref="InvalidDataException"/> when it is not one.</summary>
    public static BackupManifest Read(ReadOnlySpan<byte> json, string source)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, StrataJson.Default.BackupManifest);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid manifest ({e.Message})", e);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{source}: empty manifest");
        }

        if (manifest.FormatVersion > ArtifactFormat.Version)
        {
            throw new InvalidDataException(
                $"{source}: format version {manifest.FormatVersion} is newer than this Strata reads ({ArtifactFormat.Version}); upgrade Strata");
        }

        return manifest;
    }
}

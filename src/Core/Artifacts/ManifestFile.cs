using System.Text.Json;
using Strata.Core.Ports;
using Strata.Core.Serialization;

namespace Strata.Core.Artifacts;

/// <summary>
/// <c>manifest.json</c> in the store, written and read in one place: written last, as the backup's commit
/// marker; read back strictly (a newer format version is refused with the reason).
/// </summary>
public static class ManifestFile
{
    /// <summary>Writes the manifest of the backup at <paramref name="backupPrefix"/>, once (the store never overwrites).</summary>
    public static async Task WriteAsync(IArtifactStore store, string backupPrefix, BackupManifest manifest, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest);
        await using var upload = await store.CreateAsync(ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.Manifest), cancellationToken);
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
        try
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return Read(buffer.ToArray(), key);
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
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

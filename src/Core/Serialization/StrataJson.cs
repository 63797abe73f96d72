using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Core.Artifacts;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Serialization;

/// <summary>
/// JSON for Strata's own documents (manifests, run records): camelCase, enums as strings,
/// nulls left out, unknown properties ignored on read so older readers keep working.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BackupRecord))]
[JsonSerializable(typeof(RestoreRecord))]
public sealed partial class StrataJson : JsonSerializerContext
{
    /// <summary>
    /// Reads the manifest of the backup at <paramref name="backupPrefix"/>: null when there is none
    /// (the backup never completed), a clear <see cref="InvalidDataException"/> when it is unreadable.
    /// </summary>
    public static async Task<BackupManifest?> ReadManifestAsync(IArtifactStore store, string backupPrefix, CancellationToken cancellationToken = default)
    {
        var key = ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.Manifest);
        try
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return ReadManifest(buffer.ToArray(), key);
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads a manifest; a clear <see cref="InvalidDataException"/> when it is not one.</summary>
    public static BackupManifest ReadManifest(ReadOnlySpan<byte> json, string source)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, Default.BackupManifest);
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

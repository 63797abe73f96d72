using System.Security.Cryptography;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Encryption;

/// <summary>
/// What <c>strata decrypt --output DIR</c> writes, and <c>tools/decrypt/strata_decrypt.py</c> writes byte for byte:
/// <c>manifest.json</c> as stored; each document of <c>resources.tar.gz</c> as its own file at its archive path, without
/// the members the server sets (<see cref="ServerSetFields"/>, so that <c>kubectl apply</c> can create it; Secret
/// documents in <see cref="SecretValues.DecryptDocument"/>'s textual form); every other artifact the
/// manifest lists at its path, in plaintext, streamed. Each artifact's size and SHA-256 are checked against the
/// manifest (of the compressed archive for <c>resources.tar.gz</c>, read and checked once before any of its documents
/// is written; of the plaintext otherwise, on the way). The caller deletes what was written when this throws.
/// </summary>
public static class PlaintextExport
{
    /// <summary>Writes the backup at <paramref name="backupPrefix"/> through <paramref name="createFile"/> (a path relative to the output, '/'-separated).</summary>
    /// <param name="artifacts">The backup's artifacts: a <see cref="BackupCipherStore"/> view when it is encrypted, else the store.</param>
    /// <param name="backupPrefix">The backup's key prefix.</param>
    /// <param name="manifest">The manifest read from <paramref name="manifestBytes"/>.</param>
    /// <param name="manifestBytes"><c>manifest.json</c>'s exact bytes.</param>
    /// <param name="key">The data key; null when the backup is not encrypted.</param>
    /// <param name="createFile">Creates a file for writing (the caller refuses to overwrite).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <exception cref="ArtifactRejectedException">An unsafe path (absolute, <c>..</c>), or a size or hash that differs from the manifest.</exception>
    /// <exception cref="ArtifactDecryptionException">An artifact or Secret value does not decrypt.</exception>
    public static async Task<PlaintextExportSummary> ExportAsync(
        IArtifactStore artifacts,
        string backupPrefix,
        BackupManifest manifest,
        ReadOnlyMemory<byte> manifestBytes,
        DataKey? key,
        Func<string, CancellationToken, Task<Stream>> createFile,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(createFile);
        var decryptSecrets = manifest.Encryption?.SecretValues == true;
        if (decryptSecrets && key is null)
        {
            throw new ArgumentException("the backup's Secret values are encrypted: its data key is needed", nameof(key));
        }

        var files = 1;
        long bytes = manifestBytes.Length;
        var secrets = 0;
        await using (var manifestFile = await createFile(ArtifactLayout.Manifest, cancellationToken))
        {
            await manifestFile.WriteAsync(manifestBytes, cancellationToken);
        }

        foreach (var artifact in manifest.Artifacts)
        {
            if (ResourceEntryPath.Unsafe(artifact.Path) is { } unsafePath)
            {
                throw new ArtifactRejectedException(artifact.Path, $"the manifest lists an unsafe path: {unsafePath}");
            }

            var storageKey = ArtifactLayout.ArtifactKey(backupPrefix, artifact.Path);
            if (artifact.Path == ArtifactLayout.ResourcesArchive)
            {
                // Its documents are written one by one as the archive is read, so the archive is held to the manifest
                // first (read once, nothing kept): a tampered archive writes no Secret at all.
                await using (var check = await artifacts.OpenReadAsync(storageKey, cancellationToken))
                {
                    var (archiveLength, archiveSha256) = await CopyAsync(check, Stream.Null, cancellationToken);
                    Check(artifact, archiveLength, archiveSha256);
                }
            }

            await using var source = await artifacts.OpenReadAsync(storageKey, cancellationToken);
            if (artifact.Path == ArtifactLayout.ResourcesArchive)
            {
                var reader = new ResourceArchiveReader(source, artifact.Path);
                await foreach (var entry in reader.ReadAsync(cancellationToken))
                {
                    var content = entry.Content;
                    if (decryptSecrets && entry.Path is { Group: "", Resource: "secrets" })
                    {
                        content = SecretValues.DecryptDocument(content, entry.RawPath, key!);
                        secrets++;
                    }

                    content = ServerSetFields.Strip(content, entry.RawPath);

                    await using (var file = await createFile(entry.RawPath, cancellationToken))
                    {
                        await file.WriteAsync(content, cancellationToken);
                    }

                    files++;
                    bytes += content.Length;
                }

                Check(artifact, reader.Bytes, reader.Sha256Hex);
                continue;
            }

            await using (var file = await createFile(artifact.Path, cancellationToken))
            {
                var (length, sha256) = await CopyAsync(source, file, cancellationToken);
                Check(artifact, length, sha256);
                bytes += length;
            }

            files++;
        }

        return new PlaintextExportSummary(files, bytes, secrets);
    }

    private static async Task<(long Length, string Sha256)> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length += read;
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void Check(ArtifactEntry artifact, long length, string sha256)
    {
        if (length != artifact.Size || !string.Equals(sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactRejectedException(artifact.Path, $"{length:N0} bytes with SHA-256 {sha256}, but the manifest says {artifact.Size:N0} bytes with {artifact.Sha256}");
        }
    }
}

using System.Buffers;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Etcd;

/// <summary>
/// The one checked read of a stored etcd snapshot: forward only, once, through <see cref="EtcdSnapshotIntegrity"/>
/// (etcd's SHA-256 trailer and the bbolt header), copying it where the caller wants it on the way (the rebuild drill's
/// temporary file, the restore guide's folder). <see cref="CopyAsync"/> reads it from the store and holds it to the
/// size and SHA-256 the manifest recorded; verification (<c>EtcdSnapshotCheck</c>) reads the stream it is given with
/// <see cref="ReadAsync"/>.
/// </summary>
public static class EtcdSnapshotDownload
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Reads <paramref name="content"/> to its end through the integrity check, writing every byte to
    /// <paramref name="copy"/> when given; returns the verdict.
    /// </summary>
    public static async Task<EtcdSnapshotVerdict> ReadAsync(Stream content, Stream? copy, CancellationToken cancellationToken = default)
    {
        var integrity = new EtcdSnapshotIntegrity();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                integrity.Append(buffer.AsSpan(0, read));
                if (copy is not null)
                {
                    await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return integrity.Complete();
    }

    /// <summary>
    /// Reads <paramref name="snapshot"/> under <paramref name="backupPrefix"/> into <paramref name="copy"/> (when given);
    /// returns what is wrong with it, or null when it is intact and as recorded. A copy of a snapshot that fails is the
    /// caller's to discard. Store failures other than a missing artifact are thrown.
    /// </summary>
    public static async Task<string?> CopyAsync(
        IArtifactStore store, string backupPrefix, EtcdSnapshotRecord snapshot, Stream? copy, CancellationToken cancellationToken = default)
    {
        EtcdSnapshotVerdict verdict;
        try
        {
            await using var source = await store.OpenReadAsync(ArtifactLayout.ArtifactKey(backupPrefix, snapshot.Path), cancellationToken);
            verdict = await ReadAsync(source, copy, cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            return $"the snapshot {snapshot.Path} is not in the store";
        }

        return !verdict.Intact ? $"the snapshot {snapshot.Path} fails its integrity check: {verdict.Problem}"
            : verdict.Length != snapshot.Size ? $"the snapshot {snapshot.Path} is {verdict.Length:N0} bytes, but the manifest says {snapshot.Size:N0}"
            : !string.Equals(verdict.Sha256, snapshot.Sha256, StringComparison.OrdinalIgnoreCase)
                ? $"the snapshot {snapshot.Path} has SHA-256 {verdict.Sha256}, but the manifest says {snapshot.Sha256}"
            : null;
    }
}

using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Etcd;

/// <summary>
/// Reads a backup's etcd snapshot from the store once, forward only, checking it on the way — etcd's SHA-256 trailer and
/// the bbolt header (<see cref="EtcdSnapshotIntegrity"/>), then the size and SHA-256 the manifest recorded — and copying
/// it where the caller wants it (the rebuild drill's temporary file, the restore guide's folder).
/// </summary>
public static class EtcdSnapshotDownload
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Reads <paramref name="snapshot"/> under <paramref name="backupPrefix"/> into <paramref name="copy"/> (when given);
    /// returns what is wrong with it, or null when it is intact and as recorded. A copy of a snapshot that fails is the
    /// caller's to discard. Store failures other than a missing artifact are thrown.
    /// </summary>
    public static async Task<string?> CopyAsync(
        IArtifactStore store, string backupPrefix, EtcdSnapshotRecord snapshot, Stream? copy, CancellationToken cancellationToken = default)
    {
        var integrity = new EtcdSnapshotIntegrity();
        try
        {
            await using var source = await store.OpenReadAsync(ArtifactLayout.ArtifactKey(backupPrefix, snapshot.Path), cancellationToken);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                integrity.Append(buffer.AsSpan(0, read));
                if (copy is not null)
                {
                    await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (ArtifactNotFoundException)
        {
            return $"the snapshot {snapshot.Path} is not in the store";
        }

        var verdict = integrity.Complete();
        return !verdict.Intact ? $"the snapshot {snapshot.Path} fails its integrity check: {verdict.Problem}"
            : verdict.Length != snapshot.Size ? $"the snapshot {snapshot.Path} is {verdict.Length:N0} bytes, but the manifest says {snapshot.Size:N0}"
            : !string.Equals(verdict.Sha256, snapshot.Sha256, StringComparison.OrdinalIgnoreCase)
                ? $"the snapshot {snapshot.Path} has SHA-256 {verdict.Sha256}, but the manifest says {snapshot.Sha256}"
            : null;
    }
}

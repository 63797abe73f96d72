using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strata.Core.Ports;

namespace Strata.Core.Encryption;

/// <summary>
/// A view of a store for one backup: artifacts under <c>backupPrefix</c> whose relative path <c>encrypts</c> are
/// written through <see cref="ChunkedEncryptionStream"/> and read back through <see cref="ChunkedDecryptionStream"/>
/// under the backup's data key; everything else passes through. Layers, verification, drills and restore read and
/// write through it unchanged. Listings report an encrypted artifact's plaintext size.
/// </summary>
/// <param name="inner">The store.</param>
/// <param name="backupPrefix">The backup's key prefix (ending in '/').</param>
/// <param name="key">The backup's data key.</param>
/// <param name="encrypts">Which relative paths are encrypted whole: <see cref="EncryptionPaths.For"/> when writing, the manifest's list when reading.</param>
public sealed class BackupCipherStore(IArtifactStore inner, string backupPrefix, DataKey key, Func<string, bool> encrypts) : IArtifactStore
{
    private readonly ConcurrentDictionary<string, byte> _encrypted = new(StringComparer.Ordinal);

    /// <summary>The store underneath.</summary>
    public IArtifactStore Inner => inner;

    /// <summary>The paths (relative to the backup) this view has encrypted and committed, in order.</summary>
    public IReadOnlyList<string> EncryptedPaths => [.. _encrypted.Keys.Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public string Location => inner.Location;

    /// <inheritdoc />
    public async Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default)
    {
        var writer = await inner.CreateAsync(key, cancellationToken);
        return EncryptedPath(key) is { } path ? new EncryptingWriter(this, writer, path) : writer;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var stream = await inner.OpenReadAsync(key, cancellationToken);
        return EncryptedPath(key) is { } path ? new ChunkedDecryptionStream(stream, DataKey, path) : stream;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in inner.ListAsync(prefix, cancellationToken))
        {
            yield return EncryptedPath(info.Key) is not null && ChunkedFormat.PlaintextLength(info.Size, ChunkSize) is { } size ? info with { Size = size } : info;
        }
    }

    /// <summary>Plaintext bytes per chunk of the encrypted artifacts (the manifest's <see cref="EncryptionRecord.ChunkSize"/>), for the sizes <see cref="ListAsync"/> reports. Default <see cref="ChunkedFormat.DefaultChunkSize"/>.</summary>
    public int ChunkSize { get; init; } = ChunkedFormat.DefaultChunkSize;

    /// <inheritdoc />
    public Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    private DataKey DataKey => key;

    private string? EncryptedPath(string storageKey) =>
        storageKey.StartsWith(backupPrefix, StringComparison.Ordinal) && storageKey[backupPrefix.Length..] is { Length: > 0 } path && encrypts(path) ? path : null;

    private sealed class EncryptingWriter(BackupCipherStore store, IArtifactWriter inner, string path) : IArtifactWriter
    {
        private readonly ChunkedEncryptionStream _content = new(inner.Content, store.DataKey, path, leaveOpen: true);
        private bool _committed;

        public Stream Content => _content;

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await _content.CompleteAsync(cancellationToken);
            await inner.CommitAsync(cancellationToken);
            _committed = true;
            store._encrypted.TryAdd(path, 0);
        }

        public async ValueTask DisposeAsync()
        {
            if (_committed)
            {
                await _content.DisposeAsync();
            }
            else
            {
                _content.Abandon();
            }

            await inner.DisposeAsync();
        }
    }
}

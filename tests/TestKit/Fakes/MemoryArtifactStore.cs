using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>An in-memory <see cref="IArtifactStore"/> with the port's write-once semantics.</summary>
public sealed class MemoryArtifactStore : IArtifactStore
{
    private readonly ConcurrentDictionary<string, byte[]> _artifacts = new(StringComparer.Ordinal);

    public string Location => "memory";

    public IDictionary<string, byte[]> Artifacts => _artifacts;

    /// <summary>Keys a write-once lock keeps, with until when: their deletes answer <see cref="ArtifactDeletionOutcome.Locked"/>, as Blob storage's do.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> Locks { get; } = new(StringComparer.Ordinal);

    public Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default) =>
        _artifacts.ContainsKey(key) ? throw new ArtifactExistsException(key) : Task.FromResult<IArtifactWriter>(new Writer(this, key));

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        _artifacts.TryGetValue(key, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new ArtifactNotFoundException(key);

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (key, bytes) in _artifacts.Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            yield return new ArtifactInfo(key, bytes.Length);
        }
    }

    public Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            Locks.TryGetValue(key, out var until) && _artifacts.ContainsKey(key) ? new ArtifactDeletion(key, ArtifactDeletionOutcome.Locked, until)
            : new ArtifactDeletion(key, _artifacts.TryRemove(key, out _) ? ArtifactDeletionOutcome.Deleted : ArtifactDeletionOutcome.NotFound));

    private sealed class Writer(MemoryArtifactStore store, string key) : IArtifactWriter
    {
        private readonly MemoryStream _content = new();

        public Stream Content => _content;

        public Task CommitAsync(CancellationToken cancellationToken = default) =>
            store._artifacts.TryAdd(key, _content.ToArray()) ? Task.CompletedTask : throw new ArtifactExistsException(key);

        public ValueTask DisposeAsync() => _content.DisposeAsync();
    }
}

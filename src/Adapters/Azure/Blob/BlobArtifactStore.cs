using System.Runtime.CompilerServices;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// Artifacts in one Azure Blob container. Write-once: every commit carries <c>If-None-Match: *</c>
/// and, with a <see cref="WriteOncePolicy"/>, a per-blob retain-until date (version-level WORM);
/// reads fall back to the read-access secondary when the primary is unavailable.
/// </summary>
public sealed class BlobArtifactStore : IArtifactStore, IGeoReplicatedStore
{
    private readonly BlobContainer _container;
    private readonly WriteOncePolicy? _writeOnce;
    private readonly TimeProvider _time;
    private readonly OnceUntilFailed _containerReady;

    /// <summary>Creates the store.</summary>
    /// <param name="endpoints">The account's Blob endpoints (primary, and secondary for RA-GZRS).</param>
    /// <param name="container">The container name.</param>
    /// <param name="authentication">Account key or Entra ID credential.</param>
    /// <param name="options">Retries, block size, parallelism.</param>
    /// <param name="writeOnce">The lock every new artifact gets; null for none.</param>
    public BlobArtifactStore(StorageEndpoints endpoints, string container, StorageAuthentication authentication, StorageClientOptions? options = null, WriteOncePolicy? writeOnce = null)
    {
        ValidateContainerName(container);
        options ??= new StorageClientOptions();
        _container = new BlobContainer(new StoragePipeline(endpoints, authentication, StorageService.Blob, options), container);
        _writeOnce = writeOnce;
        _time = options.Time;
        _containerReady = new OnceUntilFailed(() => _container.CreateIfNotExistsAsync(CancellationToken.None));
    }

    private BlobArtifactStore(BlobArtifactStore other, WriteOncePolicy writeOnce)
    {
        _container = other._container;
        _time = other._time;
        _containerReady = other._containerReady;
        _writeOnce = writeOnce;
    }

    /// <summary>The same container, with every new artifact locked as <paramref name="writeOnce"/> says (one pipeline, shared).</summary>
    public BlobArtifactStore WithWriteOnce(WriteOncePolicy writeOnce) => new(this, writeOnce);

    /// <inheritdoc />
    public string Location => _container.Url.AbsoluteUri;

    /// <inheritdoc />
    public async Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        await _containerReady.RunAsync(cancellationToken);
        if (await _container.GetPropertiesAsync(key, cancellationToken) is not null)
        {
            throw new ArtifactExistsException(key);
        }

        var stream = new BlockUploadStream(_container, key, Lock, _writeOnce?.ApplyAfterCommit ?? false);
        return new Writer(stream);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        return await BlobReadStream.OpenAsync(_container, key, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            BlobPage page;
            try
            {
                page = await _container.ListAsync(prefix, marker, _container.Options.ListPageSize, cancellationToken);
            }
            catch (StorageRequestException e) when (e.ErrorCode == "ContainerNotFound")
            {
                yield break;
            }

            foreach (var (name, length) in page.Blobs)
            {
                yield return new ArtifactInfo(name, length);
            }

            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    /// <inheritdoc />
    public async Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var properties = await _container.GetPropertiesAsync(key, cancellationToken);
        if (properties is null)
        {
            return new ArtifactDeletion(key, ArtifactDeletionOutcome.NotFound);
        }

        // Asking first matters under versioning: deleting a locked current version "succeeds" by
        // turning it into a previous version, which stays (and is billed) until its lock ends.
        if (properties.IsLocked(_time.GetUtcNow()))
        {
            return Locked(key, properties);
        }

        try
        {
            return new ArtifactDeletion(key, await _container.DeleteAsync(key, cancellationToken) ? ArtifactDeletionOutcome.Deleted : ArtifactDeletionOutcome.NotFound);
        }
        catch (StorageRequestException e) when (e.ErrorCode?.StartsWith("BlobImmutable", StringComparison.Ordinal) == true)
        {
            // Locked between the two calls (or by a container-level policy the blob does not show).
            return Locked(key, await _container.GetPropertiesAsync(key, cancellationToken) ?? properties);
        }
    }

    /// <summary>The secondary region's replication status and last sync time.</summary>
    public Task<GeoReplication> GetReplicationAsync(CancellationToken cancellationToken = default) =>
        _container.GetReplicationAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetLastSyncTimeAsync(CancellationToken cancellationToken = default) =>
        (await GetReplicationAsync(cancellationToken)).LastSyncTime;

    /// <summary>Places a legal hold on an artifact (or lifts it).</summary>
    public Task SetLegalHoldAsync(string key, bool hold, CancellationToken cancellationToken = default) =>
        _container.SetLegalHoldAsync(key, hold, cancellationToken);

    private static ArtifactDeletion Locked(string key, BlobProperties properties) =>
        new(key, ArtifactDeletionOutcome.Locked, properties.RetainUntil, properties.LegalHold);

    private WriteOnceLock? Lock() =>
        _writeOnce is { } policy ? new WriteOnceLock(_time.GetUtcNow() + policy.RetainFor, policy.Mode, policy.LegalHold) : null;

    private static void ValidateKey(string key) => ArtifactLayout.ValidateKey(key);

    /// <summary>3–63 characters, lowercase letters, digits and single hyphens, starting with a letter or digit.</summary>
    private static void ValidateContainerName(string name)
    {
        var valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"'{name}' is not a valid container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit", nameof(name));
        }
    }

    private sealed class Writer(BlockUploadStream stream) : IArtifactWriter
    {
        public Stream Content => stream;

        public Task CommitAsync(CancellationToken cancellationToken = default) => stream.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}

/// <summary>
/// The write-once lock given to every new artifact: kept for <paramref name="RetainFor"/> from its
/// commit, in <paramref name="Mode"/>, optionally under legal hold. The container must have
/// version-level immutability enabled (docs/storage.md). <paramref name="ApplyAfterCommit"/> sets the
/// policy with a separate Set Blob Immutability Policy call instead of headers on the commit.
/// </summary>
public sealed record WriteOncePolicy(TimeSpan RetainFor, ImmutabilityMode Mode = ImmutabilityMode.Unlocked, bool LegalHold = false, bool ApplyAfterCommit = false);

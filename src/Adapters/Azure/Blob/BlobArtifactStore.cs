using System.Runtime.CompilerServices;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// Artifacts in one Azure Blob container, through the SDK's <see cref="BlobContainerClient"/>.
/// Write-once: every commit carries <c>If-None-Match: *</c> and, with a <see cref="WriteOncePolicy"/>,
/// a per-blob retain-until date (version-level WORM); reads fall back to the read-access secondary
/// when the container client was made with one (<see cref="StorageAccount.CreateBlobServiceClient"/>).
/// Every failure is a <see cref="StorageRequestException"/>.
/// </summary>
public sealed class BlobArtifactStore : IArtifactStore, IGeoReplicatedStore
{
    private readonly BlobContainerClient _container;
    private readonly BlobServiceClient? _secondary;
    private readonly BlobStoreOptions _options;
    private readonly WriteOncePolicy? _writeOnce;
    private readonly OnceUntilFailed _containerReady;

    /// <summary>Creates the store.</summary>
    /// <param name="container">The container (its client's options carry retries and the secondary for reads).</param>
    /// <param name="secondary">A client on the secondary endpoint, for replication status; null when the account has none.</param>
    /// <param name="options">Block size, parallelism, checksums; defaults in <see cref="BlobStoreOptions"/>.</param>
    /// <param name="writeOnce">The lock every new artifact gets; null for none.</param>
    public BlobArtifactStore(BlobContainerClient container, BlobServiceClient? secondary = null, BlobStoreOptions? options = null, WriteOncePolicy? writeOnce = null)
    {
        ValidateContainerName(container.Name);
        _container = container;
        _secondary = secondary;
        _options = options ?? new BlobStoreOptions();
        _writeOnce = writeOnce;
        _containerReady = new OnceUntilFailed(() =>
            StorageCall.RunAsync("Create Container", container.Name, () => container.CreateIfNotExistsAsync(), CancellationToken.None));
    }

    private BlobArtifactStore(BlobArtifactStore other, WriteOncePolicy writeOnce)
    {
        _container = other._container;
        _secondary = other._secondary;
        _options = other._options;
        _containerReady = other._containerReady;
        _writeOnce = writeOnce;
    }

    /// <summary>The same container, with every new artifact locked as <paramref name="writeOnce"/> says (the clients are shared).</summary>
    public BlobArtifactStore WithWriteOnce(WriteOncePolicy writeOnce) => new(this, writeOnce);

    /// <inheritdoc />
    public string Location => _container.Uri.AbsoluteUri;

    /// <summary>The checksum each upload request carries (<see cref="BlobStoreOptions.TransferChecksum"/>).</summary>
    public StorageChecksumAlgorithm TransferChecksum => _options.TransferChecksum;

    /// <inheritdoc />
    public async Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactLayout.ValidateKey(key);
        await _containerReady.RunAsync(cancellationToken);
        var blob = _container.GetBlockBlobClient(key);
        if (await StorageCall.RunAsync("Get Blob Properties", Resource(key), async () => (await blob.ExistsAsync(cancellationToken)).Value, cancellationToken))
        {
            throw new ArtifactExistsException(key);
        }

        return new Writer(new StagedUploadStream(blob, key, _options, _writeOnce));
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactLayout.ValidateKey(key);
        try
        {
            return await ArtifactReadStream.OpenAsync(_container.GetBlobClient(key), Resource(key), cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == 404)
        {
            throw new ArtifactNotFoundException(key);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages(pageSizeHint: _options.ListPageSize);
        await using var page = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await page.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception e) when (StorageRequestException.From(e, "List Blobs", Resource(prefix), cancellationToken) is { } failure)
            {
                if (failure.ErrorCode == "ContainerNotFound")
                {
                    yield break;
                }

                throw failure;
            }

            foreach (var blob in page.Current.Values)
            {
                yield return new ArtifactInfo(blob.Name, blob.Properties.ContentLength ?? 0);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactLayout.ValidateKey(key);
        var blob = _container.GetBlobClient(key);
        var properties = await PropertiesAsync(blob, key, cancellationToken);
        if (properties is null)
        {
            return new ArtifactDeletion(key, ArtifactDeletionOutcome.NotFound);
        }

        // Asking first matters under versioning: deleting a locked current version "succeeds" by
        // turning it into a previous version, which stays (and is billed) until its lock ends.
        if (properties.HasLegalHold || properties.ImmutabilityPolicy?.ExpiresOn > _options.Time.GetUtcNow())
        {
            return Locked(key, properties);
        }

        try
        {
            var deleted = await StorageCall.RunAsync("Delete Blob", Resource(key), async () => (await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value, cancellationToken);
            return new ArtifactDeletion(key, deleted ? ArtifactDeletionOutcome.Deleted : ArtifactDeletionOutcome.NotFound);
        }
        catch (StorageRequestException e) when (e.ErrorCode?.StartsWith("BlobImmutable", StringComparison.Ordinal) == true)
        {
            // Locked between the two calls (or by a container-level policy the blob does not show).
            return Locked(key, await PropertiesAsync(blob, key, cancellationToken) ?? properties);
        }
    }

    /// <summary>The secondary region's replication status and last sync time (Get Blob Service Stats on the secondary).</summary>
    public async Task<BlobGeoReplication> GetReplicationAsync(CancellationToken cancellationToken = default)
    {
        var secondary = _secondary ?? throw new InvalidOperationException($"the account of container '{_container.Name}' has no read-access secondary endpoint");
        var statistics = await StorageCall.RunAsync(
            "Get Blob Service Stats", secondary.Uri.Host, async () => (await secondary.GetStatisticsAsync(cancellationToken)).Value, cancellationToken);
        return statistics.GeoReplication;
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetLastSyncTimeAsync(CancellationToken cancellationToken = default) =>
        (await GetReplicationAsync(cancellationToken)).LastSyncedOn;

    /// <summary>Places a legal hold on an artifact (or lifts it).</summary>
    public Task SetLegalHoldAsync(string key, bool hold, CancellationToken cancellationToken = default)
    {
        ArtifactLayout.ValidateKey(key);
        return StorageCall.RunAsync("Set Blob Legal Hold", Resource(key), () => _container.GetBlobClient(key).SetLegalHoldAsync(hold, cancellationToken), cancellationToken);
    }

    private async Task<BlobProperties?> PropertiesAsync(BlobClient blob, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await StorageCall.RunAsync("Get Blob Properties", Resource(key), async () => (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value, cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static ArtifactDeletion Locked(string key, BlobProperties properties) =>
        new(key, ArtifactDeletionOutcome.Locked, properties.ImmutabilityPolicy?.ExpiresOn, properties.HasLegalHold);

    private string Resource(string key) => _container.Name + "/" + key;

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
                $"'{name}' is not a valid container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit", "container");
        }
    }

    private sealed class Writer(StagedUploadStream stream) : IArtifactWriter
    {
        public Stream Content => stream;

        public Task CommitAsync(CancellationToken cancellationToken = default) => stream.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}

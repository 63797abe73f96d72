using global::Azure;
using global::Azure.Storage;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// Makes a written artifact visible under its key, once: Put Blob (a small artifact) or Put Block
/// List with <c>If-None-Match: *</c>, the SHA-256 of the whole as metadata and, unless applied
/// after, the write-once policy and legal hold. A retried commit whose first try did land finds
/// its own blob (same SHA-256, same size) and succeeds; any other blob under the key is an
/// <see cref="ArtifactExistsException"/>.
/// </summary>
internal sealed class ArtifactCommit(BlockBlobClient blob, string key, BlobStoreOptions options, WriteOncePolicy? writeOnce)
{
    /// <summary>Metadata key holding the lowercase hex SHA-256 of the content.</summary>
    public const string Sha256Metadata = "sha256";

    private readonly string _resource = blob.BlobContainerName + "/" + key;

    /// <summary>The checksum each request body carries, which the service checks before it stores the bytes.</summary>
    public UploadTransferValidationOptions Validation => new() { ChecksumAlgorithm = options.TransferChecksum };

    /// <summary>Commits a small artifact with one Put Blob.</summary>
    public Task PutBlobAsync(Stream content, string sha256, long length, CancellationToken cancellationToken) =>
        CommitAsync("Put Blob", sha256, length, terms => blob.UploadAsync(content, new BlobUploadOptions
        {
            Conditions = terms.Conditions,
            Metadata = terms.Metadata,
            HttpHeaders = terms.Headers,
            ImmutabilityPolicy = terms.Policy,
            LegalHold = terms.LegalHold,
            TransferValidation = Validation,
        }, cancellationToken), cancellationToken);

    /// <summary>Commits the staged blocks, in order, with Put Block List.</summary>
    public Task PutBlockListAsync(IEnumerable<string> blockIds, string sha256, long length, CancellationToken cancellationToken) =>
        CommitAsync("Put Block List", sha256, length, terms => blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
        {
            Conditions = terms.Conditions,
            Metadata = terms.Metadata,
            HttpHeaders = terms.Headers,
            ImmutabilityPolicy = terms.Policy,
            LegalHold = terms.LegalHold,
        }, cancellationToken), cancellationToken);

    private async Task CommitAsync(string operation, string sha256, long length, Func<Terms, Task> send, CancellationToken cancellationToken)
    {
        var policy = writeOnce?.At(options.Time.GetUtcNow());
        var atCommit = writeOnce is { ApplyAfterCommit: false };
        var terms = new Terms(
            new BlobRequestConditions { IfNoneMatch = ETag.All },
            new Dictionary<string, string> { [Sha256Metadata] = sha256 },
            new BlobHttpHeaders { ContentType = "application/octet-stream" },
            atCommit ? policy : null,
            atCommit && writeOnce!.LegalHold ? true : null);
        try
        {
            await StorageCall.RunAsync(operation, _resource, () => send(terms), cancellationToken);
        }
        catch (StorageRequestException e) when (e.ErrorCode == "BlobAlreadyExists" || e.Status == 412)
        {
            var existing = await StorageCall.RunAsync(
                "Get Blob Properties", _resource, async () => (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value, cancellationToken);
            if (!existing.Metadata.TryGetValue(Sha256Metadata, out var stored) || stored != sha256 || existing.ContentLength != length)
            {
                throw new ArtifactExistsException(key);
            }
        }

        if (writeOnce is { ApplyAfterCommit: true } && policy is not null)
        {
            await StorageCall.RunAsync(
                "Set Blob Immutability Policy", _resource, () => blob.SetImmutabilityPolicyAsync(policy, cancellationToken: cancellationToken), cancellationToken);
            if (writeOnce.LegalHold)
            {
                await StorageCall.RunAsync("Set Blob Legal Hold", _resource, () => blob.SetLegalHoldAsync(true, cancellationToken), cancellationToken);
            }
        }
    }

    /// <summary>What every commit states about the new blob.</summary>
    private sealed record Terms(
        BlobRequestConditions Conditions, IDictionary<string, string> Metadata, BlobHttpHeaders Headers, BlobImmutabilityPolicy? Policy, bool? LegalHold);
}

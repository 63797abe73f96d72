using global::Azure.Storage;

namespace Strata.Adapters.Azure.Blob;

/// <summary>How <see cref="BlobArtifactStore"/> moves artifacts; the defaults suit multi-GB artifacts on a small instance.</summary>
public sealed class BlobStoreOptions
{
    /// <summary>
    /// Uploads: an artifact up to <see cref="StorageTransferOptions.InitialTransferSize"/> (8 MiB)
    /// goes up in one Put Blob; a larger one in blocks of <see cref="StorageTransferOptions.MaximumTransferSize"/>
    /// (8 MiB), <see cref="StorageTransferOptions.MaximumConcurrency"/> (4) in flight while the next
    /// fills. An upload holds about (concurrency + 1) × block size of memory, whatever its size.
    /// </summary>
    public StorageTransferOptions Transfer { get; set; } = new()
    {
        InitialTransferSize = 8 << 20,
        MaximumTransferSize = 8 << 20,
        MaximumConcurrency = 4,
    };

    /// <summary>
    /// The checksum each Put Block and Put Blob carries, which the service checks before it stores
    /// the bytes; default <see cref="StorageChecksumAlgorithm.MD5"/> (<c>Content-MD5</c>). The SDK
    /// sends <see cref="StorageChecksumAlgorithm.StorageCrc64"/> as a structured message body,
    /// which Azure understands and Azurite 3.35.0 does not (it would store the framing), so CRC64
    /// is for Azure accounts only.
    /// </summary>
    public StorageChecksumAlgorithm TransferChecksum { get; set; } = StorageChecksumAlgorithm.MD5;

    /// <summary>Blobs per List Blobs page (the service returns at most 5,000).</summary>
    public int ListPageSize { get; set; } = 5000;

    /// <summary>The clock write-once dates are taken from.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}

using global::Azure.Core;

namespace Strata.Adapters.Azure;

/// <summary>
/// Options for the Blob and Table clients. Retries: 5 tries after the first, exponential from
/// 0.8 s up to 30 s (or the service's Retry-After), on 408, 429, 500, 502, 503, 504, dropped
/// connections and timeouts; 100 s network timeout per try.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    /// <summary>The defaults above.</summary>
    public StorageClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromSeconds(0.8);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        foreach (var name in new[] { "comp", "restype", "prefix", "marker", "maxresults", "blockid", "$filter", "$top", "NextPartitionKey", "NextRowKey" })
        {
            Diagnostics.LoggedQueryParameters.Add(name);
        }

        foreach (var name in new[] { "x-ms-error-code", "x-ms-blob-type", "x-ms-immutability-policy-mode", "x-ms-legal-hold", "ETag", "If-Match", "If-None-Match", "Range", "Content-Range" })
        {
            Diagnostics.LoggedHeaderNames.Add(name);
        }
    }

    /// <summary>Clock for request dates (SharedKey) — tests may pin it.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Bytes per block for uploads above <see cref="SingleUploadLimit"/>; 8 MiB.</summary>
    public int BlockSize { get; set; } = 8 << 20;

    /// <summary>Blocks uploaded at once; memory held by an upload is about (this + 1) × <see cref="BlockSize"/>.</summary>
    public int UploadParallelism { get; set; } = 4;

    /// <summary>Artifacts up to this size go up in one Put Blob; 8 MiB.</summary>
    public int SingleUploadLimit { get; set; } = 8 << 20;

    /// <summary>Blobs per List Blobs page (the service returns at most 5,000).</summary>
    public int ListPageSize { get; set; } = 5000;

    /// <summary>How many times a download resumes after its connection dropped without progress.</summary>
    public int DownloadResumeAttempts { get; set; } = 5;
}

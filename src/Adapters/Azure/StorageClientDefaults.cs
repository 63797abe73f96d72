using global::Azure.Core;
using global::Azure.Data.Tables;
using global::Azure.Storage.Blobs;

namespace Strata.Adapters.Azure;

/// <summary>
/// Strata's settings for the Azure SDK's Blob and Table clients. Retries (Azure.Core's policy):
/// 5 after the first try, exponential from 0.8 s up to 30 s (or the service's <c>Retry-After</c>),
/// on 408, 429, 500, 502, 503, 504, dropped connections and timeouts — and, for Blob, any status
/// with the codes <c>InternalError</c>, <c>OperationTimedOut</c> or <c>ServerBusy</c>; 100 s network
/// timeout per try. A download whose connection drops part-way is resumed by the SDK's retriable
/// stream (5 times). Blob requests use service version <see cref="BlobServiceVersion"/>, Table
/// requests the SDK's default (2020-12-06).
/// </summary>
public static class StorageClientDefaults
{
    /// <summary>
    /// The Blob service version sent as <c>x-ms-version</c>: the newest that Azurite 3.35.0 (the
    /// emulator the tests run against) accepts, so what was tested is what production sends.
    /// The SDK's own default is newer.
    /// </summary>
    public const BlobClientOptions.ServiceVersion BlobServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    /// <summary>Options for Blob clients, with the defaults above.</summary>
    public static BlobClientOptions Blob()
    {
        var options = new BlobClientOptions(BlobServiceVersion);
        Apply(options);
        foreach (var name in new[] { "x-ms-immutability-policy-mode", "x-ms-immutability-policy-until-date", "x-ms-legal-hold" })
        {
            options.Diagnostics.LoggedHeaderNames.Add(name);
        }

        return options;
    }

    /// <summary>Options for Table clients, with the defaults above.</summary>
    public static TableClientOptions Table()
    {
        var options = new TableClientOptions();
        Apply(options);
        return options;
    }

    private static void Apply(ClientOptions options)
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
    }
}

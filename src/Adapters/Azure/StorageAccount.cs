using global::Azure.Core;
using global::Azure.Data.Tables;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;

namespace Strata.Adapters.Azure;

/// <summary>
/// One storage account as Strata reaches it: its Blob and Table endpoints (primary, and the
/// read-access secondary of RA-GRS / RA-GZRS accounts) and how requests are authorized — an
/// Entra ID <see cref="TokenCredential"/>, or the account key of a connection string (SharedKey,
/// signed by the SDK; Azurite, or accounts that allow keys). It makes the SDK's clients; the key
/// never appears in <see cref="ToString"/> or in an error.
/// </summary>
public sealed partial class StorageAccount
{
    private readonly string? _connectionString;
    private readonly TokenCredential? _token;
    private readonly StorageSharedKeyCredential? _blobKey;
    private readonly TableSharedKeyCredential? _tableKey;

    /// <summary>An account signed in with Entra ID tokens (scope <c>https://storage.azure.com/.default</c>).</summary>
    public StorageAccount(TokenCredential credential, StorageEndpoints? blob = null, StorageEndpoints? table = null)
    {
        _token = credential;
        Blob = blob;
        Table = table;
    }

    /// <summary>An account signed with its name and base64 key (SharedKey).</summary>
    public StorageAccount(string accountName, string accountKey, StorageEndpoints? blob = null, StorageEndpoints? table = null)
    {
        AccountName = accountName;
        _blobKey = new StorageSharedKeyCredential(accountName, accountKey);
        _tableKey = new TableSharedKeyCredential(accountName, accountKey);
        Blob = blob;
        Table = table;
    }

    private StorageAccount(string connectionString, string accountName, string accountKey, StorageEndpoints blob, StorageEndpoints table)
        : this(accountName, accountKey, blob, table) => _connectionString = connectionString;

    /// <summary>The Blob endpoints, when the account is used for artifacts.</summary>
    public StorageEndpoints? Blob { get; }

    /// <summary>The Table endpoints, when the account is used for run history.</summary>
    public StorageEndpoints? Table { get; }

    /// <summary>The account name of a key account (null for Entra ID accounts).</summary>
    public string? AccountName { get; }

    /// <summary>
    /// A client on the primary Blob endpoint. When the secondary is another host (as in Azure),
    /// <paramref name="options"/> gets it as <see cref="BlobClientOptions.GeoRedundantSecondaryUri"/>:
    /// a read (GET, HEAD) that failed on the primary is retried on the secondary, and a 404 there
    /// (not replicated yet) sends the remaining tries to the primary. The SDK swaps hosts only, so a
    /// path-style secondary (Azurite's <c>…/devstoreaccount1-secondary</c>) is not used for reads.
    /// </summary>
    /// <param name="options">Fresh options; default <see cref="StorageClientDefaults.Blob"/>.</param>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null)
    {
        var endpoints = Blob ?? throw new InvalidOperationException($"{this} has no Blob endpoint");
        options ??= StorageClientDefaults.Blob();
        if (endpoints.Secondary is { } secondary && !string.Equals(secondary.Host, endpoints.Primary.Host, StringComparison.OrdinalIgnoreCase))
        {
            options.GeoRedundantSecondaryUri = secondary;
        }

        return _connectionString is not null ? new BlobServiceClient(_connectionString, options)
            : _blobKey is not null ? new BlobServiceClient(endpoints.Primary, _blobKey, options)
            : new BlobServiceClient(endpoints.Primary, _token, options);
    }

    /// <summary>
    /// A client on the secondary Blob endpoint, which alone answers Get Blob Service Stats
    /// (replication status); null when the account has no read-access secondary.
    /// </summary>
    /// <param name="options">Fresh options; default <see cref="StorageClientDefaults.Blob"/>.</param>
    public BlobServiceClient? CreateBlobSecondaryClient(BlobClientOptions? options = null)
    {
        if (Blob?.Secondary is not { } secondary)
        {
            return null;
        }

        options ??= StorageClientDefaults.Blob();
        return _blobKey is not null ? new BlobServiceClient(secondary, _blobKey, options) : new BlobServiceClient(secondary, _token, options);
    }

    /// <summary>A client on the primary Table endpoint.</summary>
    /// <param name="options">Default <see cref="StorageClientDefaults.Table"/>.</param>
    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null)
    {
        var endpoints = Table ?? throw new InvalidOperationException($"{this} has no Table endpoint");
        options ??= StorageClientDefaults.Table();
        return _connectionString is not null ? new TableServiceClient(_connectionString, options)
            : _tableKey is not null ? new TableServiceClient(endpoints.Primary, _tableKey, options)
            : new TableServiceClient(endpoints.Primary, _token, options);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"storage account {AccountName ?? (Blob ?? Table)?.Primary.Host} (Blob {Blob?.Primary.AbsoluteUri ?? "none"}, Table {Table?.Primary.AbsoluteUri ?? "none"})";
}

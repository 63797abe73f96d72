using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Adapters.Azure.Table;
using Strata.Adapters.Local;
using Strata.Core.Ports;

namespace Strata.Adapters.Hosting;

/// <summary>
/// Where artifacts and run history live. Artifacts: a local folder (default <c>$STRATA_HOME</c>,
/// else <c>~/.strata</c>), an Azure Blob container (<c>https://ACCOUNT.blob.core.windows.net/CONTAINER</c>,
/// signed in with <c>DefaultAzureCredential</c>) or a connection string with a container name.
/// History: the local folder's <c>history/</c> unless <c>--history</c> names a folder, a Table
/// endpoint (<c>https://ACCOUNT.table.core.windows.net[/TABLEPREFIX]</c>) or a connection string.
/// </summary>
public sealed record StoreLocation(IArtifactStore Artifacts, IRunHistory History, IControlState State, string ArtifactsWhere, string HistoryWhere)
{
    /// <summary>The container used with a connection string when none is named.</summary>
    public const string DefaultContainer = "strata";

    /// <summary>Table names start with this unless the Table URL names another prefix.</summary>
    public const string DefaultTablePrefix = "Strata";

    /// <summary>The setting that picks the checksum a Blob store's uploads carry: <c>md5</c> (default) or <c>crc64</c>.</summary>
    public const string ChecksumSetting = "STRATA_BLOB_CHECKSUM";

    /// <summary>Resolves the options (or <c>$STRATA_STORE</c>, <c>$STRATA_STORE_CONTAINER</c>, <c>$STRATA_HISTORY</c>, <c>$STRATA_BLOB_CHECKSUM</c>).</summary>
    /// <param name="store">The store option, or null.</param>
    /// <param name="container">The container option, or null.</param>
    /// <param name="history">The history option, or null.</param>
    /// <param name="variable">Reads environment variables (app settings, for the Functions handler).</param>
    /// <param name="strataHome">The local default folder.</param>
    /// <param name="checksum">The checksum option (<c>md5</c> or <c>crc64</c>), or null; only a Blob store uses it.</param>
    public static StoreLocation Resolve(string? store, string? container, string? history, Func<string, string?> variable, string strataHome, string? checksum = null)
    {
        store = Pick(store, variable("STRATA_STORE"));
        container = Pick(container, variable("STRATA_STORE_CONTAINER"));
        history = Pick(history, variable("STRATA_HISTORY"));
        // Read and checked whatever the store, so a typo is caught before the day the store moves to Blob.
        var transferChecksum = Pick(checksum, null) is { } option
            ? TransferChecksum(option, "--store-checksum")
            : Pick(variable(ChecksumSetting), null) is { } setting ? TransferChecksum(setting, ChecksumSetting) : StorageChecksumAlgorithm.MD5;
        var home = Path.GetFullPath(strataHome);

        IArtifactStore artifacts;
        string? localRoot = null;
        if (store is null || !IsRemote(store))
        {
            localRoot = Path.GetFullPath(store ?? home);
            artifacts = new LocalFolderArtifactStore(localRoot);
        }
        else if (IsUrl(store))
        {
            var (endpoints, name) = BlobUrl(store, container);
            artifacts = BlobStore(new StorageAccount(Credential(), blob: endpoints), name, transferChecksum);
        }
        else
        {
            artifacts = BlobStore(ParseConnectionString(store, "--store"), container ?? DefaultContainer, transferChecksum);
        }

        IRunHistory runs;
        IControlState state;
        string historyWhere;
        if (history is null || !IsRemote(history))
        {
            var folder = Path.GetFullPath(history ?? Path.Combine(localRoot ?? home, "history"));
            runs = new LocalRunHistory(folder);
            state = new LocalControlState(folder);
            historyWhere = folder;
        }
        else
        {
            var (account, prefix) = IsUrl(history)
                ? (new StorageAccount(Credential(), table: TableUrl(history, out var urlPrefix)), urlPrefix)
                : (ParseConnectionString(history, "--history"), DefaultTablePrefix);
            var service = account.CreateTableServiceClient();
            var tables = new TableRunHistory(service, prefix);
            (runs, state, historyWhere) = (tables, new TableControlState(service, prefix), tables.Location);
        }

        return new StoreLocation(artifacts, runs, state, artifacts.Location, historyWhere);
    }

    /// <summary>Where a backup's artifacts are, for people: a folder path or a blob URL prefix.</summary>
    public string Where(string key) =>
        Artifacts is LocalFolderArtifactStore ? Path.Combine(ArtifactsWhere, key) : ArtifactsWhere.TrimEnd('/') + "/" + key;

    private static string? Pick(string? option, string? variable) =>
        !string.IsNullOrWhiteSpace(option) ? option : string.IsNullOrWhiteSpace(variable) ? null : variable;

    private static bool IsUrl(string value) =>
        value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static bool IsRemote(string value) => IsUrl(value) || StorageAccount.LooksLikeConnectionString(value);

    private static TokenCredential Credential() => new DefaultAzureCredential();

    /// <summary>The container through the SDK, reads falling back to the secondary, with replication status from it.</summary>
    private static BlobArtifactStore BlobStore(StorageAccount account, string container, StorageChecksumAlgorithm checksum) =>
        new(account.CreateBlobServiceClient().GetBlobContainerClient(container), account.CreateBlobSecondaryClient(), new BlobStoreOptions { TransferChecksum = checksum });

    /// <summary><c>md5</c> (Content-MD5) or <c>crc64</c> (a CRC64 structured body, which Azure checks and Azurite does not speak).</summary>
    private static StorageChecksumAlgorithm TransferChecksum(string value, string source) => value.Trim().ToLowerInvariant() switch
    {
        "md5" => StorageChecksumAlgorithm.MD5,
        "crc64" => StorageChecksumAlgorithm.StorageCrc64,
        _ => throw new StoreConfigurationException($"{source}: '{value}' is not a checksum Strata offers; use md5 or crc64"),
    };

    private static StorageAccount ParseConnectionString(string text, string option)
    {
        try
        {
            return StorageAccount.Parse(text);
        }
        catch (FormatException e)
        {
            throw new StoreConfigurationException($"{option}: {e.Message}");
        }
    }

    /// <summary><c>https://ACCOUNT.blob.SUFFIX/CONTAINER</c>: the secondary is <c>ACCOUNT-secondary.blob.SUFFIX</c>.</summary>
    private static (StorageEndpoints Endpoints, string Container) BlobUrl(string text, string? container)
    {
        var uri = HttpsUri(text, "--store", "https://ACCOUNT.blob.core.windows.net/CONTAINER");
        var name = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : container
            ?? throw new StoreConfigurationException($"--store: '{text}' names no container (https://ACCOUNT.blob.core.windows.net/CONTAINER, or --store-container)");
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new StoreConfigurationException($"--store: '{text}' has a path below the container; give only https://ACCOUNT.blob.core.windows.net/CONTAINER");
        }

        return (Endpoints(uri), name);
    }

    /// <summary><c>https://ACCOUNT.table.SUFFIX[/PREFIX]</c>.</summary>
    private static StorageEndpoints TableUrl(string text, out string prefix)
    {
        var uri = HttpsUri(text, "--history", "https://ACCOUNT.table.core.windows.net[/TABLEPREFIX]");
        prefix = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : DefaultTablePrefix;
        if (!prefix.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(prefix[0]) || prefix.Length > 50)
        {
            throw new StoreConfigurationException($"--history: table prefix '{prefix}' must be letters and digits, starting with a letter");
        }

        return Endpoints(uri);
    }

    private static Uri HttpsUri(string text, string option, string shape)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query))
        {
            throw new StoreConfigurationException($"{option}: '{uri?.GetLeftPart(UriPartial.Path) ?? text}' is not {shape} (Entra ID tokens are only sent over https; a SAS is not accepted here)");
        }

        return uri;
    }

    private static StorageEndpoints Endpoints(Uri uri)
    {
        var root = new Uri(uri.GetLeftPart(UriPartial.Authority));
        var dot = uri.Host.IndexOf('.', StringComparison.Ordinal);
        Uri? secondary = dot > 0 && uri.Host.EndsWith(".core.windows.net", StringComparison.OrdinalIgnoreCase)
            ? new Uri($"{uri.Scheme}://{uri.Host[..dot]}-secondary{uri.Host[dot..]}")
            : null;
        return new StorageEndpoints(root, secondary);
    }
}

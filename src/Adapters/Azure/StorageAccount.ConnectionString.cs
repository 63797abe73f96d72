using global::Azure.Data.Tables;
using global::Azure.Storage.Blobs;

namespace Strata.Adapters.Azure;

/// <summary>Connection strings: checked here so that an error names the setting, then parsed by the SDK.</summary>
public sealed partial class StorageAccount
{
    /// <summary>Azurite's well-known account (public, documented; not a secret).</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>Azurite's well-known key (public, documented; not a secret).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Whether <paramref name="text"/> looks like a connection string rather than a URL or a path.</summary>
    public static bool LooksLikeConnectionString(string text) =>
        text.Contains(';') || (text.Contains('=') && !text.Contains("://", StringComparison.Ordinal));

    /// <summary>
    /// Parses a connection string as the portal and Azurite give them: <c>UseDevelopmentStorage=true</c>,
    /// or <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…</c> with optional
    /// <c>EndpointSuffix</c>, <c>BlobEndpoint</c>, <c>TableEndpoint</c>, <c>BlobSecondaryEndpoint</c>
    /// and <c>TableSecondaryEndpoint</c>. The SDK derives the primary endpoints; the secondary is
    /// the explicit setting, or <c>ACCOUNT-secondary</c> when the endpoints are derived. A
    /// <see cref="FormatException"/> names the setting that is wrong, never the key.
    /// </summary>
    public static StorageAccount Parse(string text)
    {
        var settings = Settings(text);
        var development = settings.TryGetValue("UseDevelopmentStorage", out var flag) && flag.Equals("true", StringComparison.OrdinalIgnoreCase);
        var account = development ? DevelopmentAccount : Required(settings, "AccountName");
        var key = development ? DevelopmentKey : Required(settings, "AccountKey");
        if (!development)
        {
            Check(settings, account, key);
        }

        Uri blob, table;
        try
        {
            blob = new BlobServiceClient(text).Uri;
            table = new TableServiceClient(text).Uri;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The SDK's messages may quote a setting's value: say only that it refused.
            throw new FormatException($"connection string: the Azure SDK cannot use it ({e.GetType().Name}); check its settings");
        }

        return new StorageAccount(
            text,
            account,
            key,
            new StorageEndpoints(blob, Secondary(settings, "Blob", account, blob, development)),
            new StorageEndpoints(table, Secondary(settings, "Table", account, table, development)));
    }

    /// <summary>Azurite on <paramref name="host"/> with the given ports, as a connection string (tests and the benchmark).</summary>
    public static string DevelopmentConnectionString(string host, int blobPort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};" +
        $"BlobEndpoint=http://{host}:{blobPort}/{DevelopmentAccount};TableEndpoint=http://{host}:{tablePort}/{DevelopmentAccount};" +
        $"BlobSecondaryEndpoint=http://{host}:{blobPort}/{DevelopmentAccount}-secondary;TableSecondaryEndpoint=http://{host}:{tablePort}/{DevelopmentAccount}-secondary";

    private static Dictionary<string, string> Settings(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"connection string: '{Redact(part)}' is not Name=Value");
            }

            settings[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        return settings;
    }

    private static void Check(Dictionary<string, string> settings, string account, string key)
    {
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("connection string: SharedAccessSignature is not accepted; use AccountKey or Entra ID");
        }

        if (!Convert.TryFromBase64String(key, new byte[key.Length], out _))
        {
            throw new FormatException($"connection string: AccountKey of account '{account}' is not base64");
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        if (protocol is not ("https" or "http"))
        {
            throw new FormatException($"connection string: DefaultEndpointsProtocol must be https or http, not '{protocol}'");
        }

        foreach (var setting in new[] { "BlobEndpoint", "TableEndpoint", "BlobSecondaryEndpoint", "TableSecondaryEndpoint" })
        {
            if (settings.GetValueOrDefault(setting) is { Length: > 0 } value
                && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                throw new FormatException($"connection string: {setting} '{value}' is not an http(s) URL");
            }
        }
    }

    /// <summary>The explicit secondary, else <c>ACCOUNT-secondary</c> when the SDK derived the primary (Azurite: path-style).</summary>
    private static Uri? Secondary(Dictionary<string, string> settings, string service, string account, Uri primary, bool development)
    {
        if (settings.GetValueOrDefault(service + "SecondaryEndpoint") is { Length: > 0 } explicitSecondary)
        {
            return new Uri(explicitSecondary.TrimEnd('/'));
        }

        if (development)
        {
            return new Uri(primary.AbsoluteUri.TrimEnd('/') + "-secondary");
        }

        return settings.ContainsKey(service + "Endpoint") || !primary.Host.StartsWith(account + ".", StringComparison.OrdinalIgnoreCase)
            ? null
            : new UriBuilder(primary) { Host = account + "-secondary" + primary.Host[account.Length..] }.Uri;
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"connection string: {name} is missing (or use UseDevelopmentStorage=true)");

    private static string Redact(string part) =>
        part.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) || part.StartsWith("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)
            ? part.Split('=')[0] + "=…"
            : part.Length > 40 ? part[..40] + "…" : part;
}

namespace Strata.Adapters.Azure;

/// <summary>
/// An Azure Storage connection string, as the portal and Azurite give them:
/// <c>UseDevelopmentStorage=true</c>, or <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…</c>
/// with optional <c>EndpointSuffix</c>, <c>BlobEndpoint</c>, <c>TableEndpoint</c>,
/// <c>BlobSecondaryEndpoint</c> and <c>TableSecondaryEndpoint</c>. The key never appears in
/// <see cref="ToString"/> or in an error.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's well-known account and key (public, documented; not a secret).</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(string account, byte[] key, StorageEndpoints blob, StorageEndpoints table)
    {
        Account = account;
        Key = key;
        Blob = blob;
        Table = table;
    }

    /// <summary>The account name.</summary>
    public string Account { get; }

    /// <summary>The Blob service endpoints.</summary>
    public StorageEndpoints Blob { get; }

    /// <summary>The Table service endpoints.</summary>
    public StorageEndpoints Table { get; }

    internal byte[] Key { get; }

    /// <summary>The account's credential for SharedKey signing.</summary>
    public StorageSharedKey SharedKey() => new(Account, Key);

    /// <summary>Whether <paramref name="text"/> looks like a connection string rather than a URL or a path.</summary>
    public static bool Looks(string text) => text.Contains(';') || (text.Contains('=') && !text.Contains("://", StringComparison.Ordinal));

    /// <summary>Parses a connection string; the error names the setting that is wrong, never the key.</summary>
    public static StorageConnectionString Parse(string text)
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

        if (settings.TryGetValue("UseDevelopmentStorage", out var development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            var proxy = settings.GetValueOrDefault("DevelopmentStorageProxyUri") is { Length: > 0 } p ? new Uri(p) : new Uri("http://127.0.0.1");
            return Development(proxy.Host, 10000, 10002);
        }

        var account = Required(settings, "AccountName");
        var keyText = Required(settings, "AccountKey");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(keyText);
        }
        catch (FormatException)
        {
            throw new FormatException($"connection string: AccountKey of account '{account}' is not base64");
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        if (protocol is not ("https" or "http"))
        {
            throw new FormatException($"connection string: DefaultEndpointsProtocol must be https or http, not '{protocol}'");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";
        return new StorageConnectionString(
            account,
            key,
            Endpoints(settings, "Blob", account, protocol, suffix),
            Endpoints(settings, "Table", account, protocol, suffix));
    }

    /// <summary>Azurite on <paramref name="host"/> with the given ports (path-style URLs).</summary>
    public static StorageConnectionString Development(string host, int blobPort, int tablePort) => new(
        DevelopmentAccount,
        Convert.FromBase64String(DevelopmentKey),
        new StorageEndpoints(new Uri($"http://{host}:{blobPort}/{DevelopmentAccount}"), new Uri($"http://{host}:{blobPort}/{DevelopmentAccount}-secondary")),
        new StorageEndpoints(new Uri($"http://{host}:{tablePort}/{DevelopmentAccount}"), new Uri($"http://{host}:{tablePort}/{DevelopmentAccount}-secondary")));

    /// <summary>The same account, text fit for a connection string (Azurite tests and the benchmark).</summary>
    public static string DevelopmentText(string host, int blobPort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};" +
        $"BlobEndpoint=http://{host}:{blobPort}/{DevelopmentAccount};TableEndpoint=http://{host}:{tablePort}/{DevelopmentAccount};" +
        $"BlobSecondaryEndpoint=http://{host}:{blobPort}/{DevelopmentAccount}-secondary;TableSecondaryEndpoint=http://{host}:{tablePort}/{DevelopmentAccount}-secondary";

    /// <inheritdoc />
    public override string ToString() => $"AccountName={Account};BlobEndpoint={Blob.Primary};TableEndpoint={Table.Primary}";

    private static StorageEndpoints Endpoints(Dictionary<string, string> settings, string service, string account, string protocol, string suffix)
    {
        var lower = service.ToLowerInvariant();
        var primary = settings.GetValueOrDefault(service + "Endpoint") is { Length: > 0 } explicitPrimary
            ? ParseEndpoint(service + "Endpoint", explicitPrimary)
            : new Uri($"{protocol}://{account}.{lower}.{suffix}");
        Uri? secondary = settings.GetValueOrDefault(service + "SecondaryEndpoint") is { Length: > 0 } explicitSecondary
            ? ParseEndpoint(service + "SecondaryEndpoint", explicitSecondary)
            : settings.ContainsKey(service + "Endpoint") ? null : new Uri($"{protocol}://{account}-secondary.{lower}.{suffix}");
        return new StorageEndpoints(primary, secondary);
    }

    private static Uri ParseEndpoint(string setting, string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"connection string: {setting} '{value}' is not an http(s) URL");

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"connection string: {name} is missing (or use UseDevelopmentStorage=true)");

    private static string Redact(string part) =>
        part.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) || part.StartsWith("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)
            ? part.Split('=')[0] + "=…"
            : part.Length > 40 ? part[..40] + "…" : part;
}

/// <summary>A service's primary endpoint and, for read-access geo-redundant accounts, its secondary.</summary>
public sealed record StorageEndpoints(Uri Primary, Uri? Secondary);

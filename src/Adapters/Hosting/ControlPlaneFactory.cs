using Azure.Core;
using Azure.Identity;
using Strata.Adapters.Alerts;
using Strata.Adapters.Heartbeat;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Ports;

namespace Strata.Adapters.Hosting;

/// <summary>
/// Puts the control plane together from settings, the same way for the Functions handler and for
/// <c>strata run</c>: the configuration (<c>STRATA_CONFIG</c>: a file, or a blob URL read with the
/// app's Entra ID identity), the store and history (<c>STRATA_STORE</c>, <c>STRATA_STORE_CONTAINER</c>,
/// <c>STRATA_HISTORY</c>, see <see cref="StoreLocation"/>), the clusters, and the keys that encrypt and sign backups
/// (<see cref="Encryption.KeyringFactory"/>).
/// </summary>
public static class ControlPlaneFactory
{
    /// <summary>The setting naming the configuration.</summary>
    public const string ConfigSetting = "STRATA_CONFIG";

    /// <summary>
    /// Builds the context — with the HTTP alert channels (<see cref="HttpAlertChannels"/>, secrets resolved at each
    /// delivery), the heartbeat sender (<see cref="HttpHeartbeat"/>), etcd's gRPC client (<see cref="Etcd.GrpcEtcdConnector"/>) and the
    /// rebuild drill's local tools (<see cref="Etcd.LocalEtcdRehearsals"/>) — and what to dispose with it; <see cref="ConfigurationException"/> or
    /// <see cref="StoreConfigurationException"/> say what is wrong.
    /// </summary>
    public static async Task<(ControlPlaneContext Context, IDisposable Resources)> CreateAsync(
        string? configuration, StoreLocation location, Func<string, string?> variable, TimeProvider time, ControlPlaneOptions? options = null,
        AlertDeliveryOptions? alertDelivery = null, CancellationToken cancellationToken = default)
    {
        var source = configuration ?? variable(ConfigSetting)
            ?? throw new StoreConfigurationException($"no configuration: set {ConfigSetting} to the path or blob URL of strata.yaml");
        TokenCredential? credential = null;
        TokenCredential Credential() => credential ??= new DefaultAzureCredential();
        var parsed = ConfigurationLoader.Parse(await ReadAsync(source, Credential, cancellationToken), source, SystemTimeZones.Instance);
        var secrets = new SecretResolver(variable, Credential());
        var clusters = new ConfiguredClusters(secrets, variable, time, Credential());
        var channels = new HttpAlertChannels(secrets, time, alertDelivery);

        // The dead man's switch is outbound HTTPS like the channels, so it takes their transport.
        var heartbeat = new HttpHeartbeat(secrets, alertDelivery?.Transport?.Invoke());
        var etcd = new Etcd.GrpcEtcdConnector(secrets);
        var context = new ControlPlaneContext(parsed, clusters, new ArtifactStores(location.Artifacts), location.History, location.State, time, WithIds(options ?? new ControlPlaneOptions()))
        {
            AlertChannels = channels,
            Heartbeat = heartbeat,
            HostCommands = new Commands.LocalCommands(),
            Etcd = etcd,

            // etcdutl/etcdctl and etcd on this host's PATH; where they are missing, the drill checks integrity only and says why.
            EtcdRehearsals = new Etcd.LocalEtcdRehearsals(etcd, time),
            Secrets = secrets,

            // encryption: — local keys read now (a bad PEM file fails here, located), secrets and Key Vault on first use.
            Keyring = Encryption.KeyringFactory.Create(parsed, secrets, Credential),
        };
        return (context, new Disposables(clusters, channels, heartbeat));
    }

    /// <summary>
    /// <paramref name="options"/> with <see cref="RandomIdSource"/> wherever they wire no id source: Core's default
    /// (<see cref="UnwiredIdSource"/>) fails a backup or restore asked for without an id, so every host's control plane
    /// gets random ids here, while an id source a caller passes (a test's sequence) is kept.
    /// </summary>
    public static ControlPlaneOptions WithIds(ControlPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Capture = options.Capture.Ids is UnwiredIdSource ? options.Capture with { Ids = RandomIdSource.Instance } : options.Capture,
            Restore = options.Restore.Ids is UnwiredIdSource ? options.Restore with { Ids = RandomIdSource.Instance } : options.Restore,
        };
    }

    /// <summary>The text of strata.yaml from a file or an https blob URL.</summary>
    public static async Task<string> ReadAsync(string source, Func<TokenCredential> credential, CancellationToken cancellationToken = default)
    {
        if (!source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return await File.ReadAllTextAsync(source, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreConfigurationException($"{ConfigSetting}: {source} cannot be read ({e.Message})");
            }
        }

        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || uri.AbsolutePath.Trim('/').Split('/', 2) is not [var container, var blob])
        {
            throw new StoreConfigurationException($"{ConfigSetting}: '{source.Split('?')[0]}' is not https://ACCOUNT.blob.core.windows.net/CONTAINER/PATH (a SAS is not accepted)");
        }

        var account = new StorageAccount(credential(), blob: new StorageEndpoints(new Uri(uri.GetLeftPart(UriPartial.Authority))));
        var store = new BlobArtifactStore(account.CreateBlobServiceClient().GetBlobContainerClient(container));
        await using var stream = await store.OpenReadAsync(Uri.UnescapeDataString(blob), cancellationToken);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private sealed class Disposables(params IDisposable[] resources) : IDisposable
    {
        public void Dispose()
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }
    }
}

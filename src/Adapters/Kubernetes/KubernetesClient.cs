using System.Net;
using System.Security.Cryptography;
using k8s;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Strata's cluster client, on the official SDK (<see cref="k8s.Kubernetes"/>): typed calls where
/// the SDK's models fit (version, discovery, and create/delete of the Namespaces and Pods Strata
/// itself manages, through <c>CoreV1</c>),
/// <c>pods/exec</c> on the SDK's WebSocket (<see cref="ExecAsync"/>), and raw JSON on the SDK's own
/// <see cref="HttpClient"/>, credentials and trust where objects must stay exactly as the server sent
/// them (paged lists, get/create/replace/patch/delete of any resource). Every call but an exec (which
/// may have run) is retried through <see cref="RequestRetries"/> and rides out an API server outage;
/// every call gets a fresh credential after a 401, is cancellable, and fails as
/// <see cref="KubernetesApiException"/> with the server's <c>Status</c>.
/// </summary>
public sealed partial class KubernetesClient : IClusterWriter, IDisposable
{
    private readonly KubernetesClientOptions _options;
    private readonly k8s.Kubernetes _api;
    private readonly RequestRetries _retries;
    private readonly Version _httpVersion;
    private int _reached;

    /// <summary>Creates a client for <paramref name="connection"/>; sets the handler setup, user agent and timeout of its configuration.</summary>
    public KubernetesClient(ClusterConnection connection, KubernetesClientOptions? options = null, TimeProvider? time = null)
    {
        Connection = connection;
        _options = options ?? new KubernetesClientOptions();
        var configuration = connection.Configuration;
        configuration.UserAgent = _options.UserAgent;
        configuration.HttpClientTimeout = _options.RequestTimeout;
        configuration.FirstMessageHandlerSetup = ConfigureHandler;
        configuration.AddJsonOptions(json =>
        {
            // A configuration already in use (a second client on it) keeps what it has.
            if (!json.IsReadOnly && json.TypeInfoResolverChain.FirstOrDefault() is not DiscoveryJson)
            {
                json.TypeInfoResolverChain.Insert(0, DiscoveryJson.Default);
            }
        });
        try
        {
            _api = new k8s.Kubernetes(configuration);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or k8s.Exceptions.KubeConfigException)
        {
            throw new KubeconfigException($"{connection.Source}: the client certificate or key cannot be used ({e.Message})", e);
        }

        _api.CreateWebSocketBuilder = () => new SharedHandlerWebSocketBuilder(_api.HttpClient);
        _httpVersion = configuration.DisableHttp2 ? HttpVersion.Version11 : HttpVersion.Version20;
        _retries = new RequestRetries(_options, time ?? TimeProvider.System, () => Volatile.Read(ref _reached) == 1);
    }

    /// <summary>The connection this client uses.</summary>
    public ClusterConnection Connection { get; }

    /// <summary>
    /// The SDK client behind this one (tests and tools): same connection pool, trust, client
    /// certificate and credentials (its WebSockets too). Calls made on it directly are not retried;
    /// this client's own typed calls are.
    /// For <c>pods/exec</c> use <see cref="ExecAsync"/>, not the SDK's demultiplexer.
    /// </summary>
    public IKubernetes Api => _api;

    /// <inheritdoc />
    public void Dispose() => _api.Dispose();

    private void ConfigureHandler(SocketsHttpHandler handler)
    {
        Connection.Trust.ApplyTo(handler);
        handler.ConnectTimeout = _options.ConnectTimeout;
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.AutomaticDecompression = DecompressionMethods.GZip;
        handler.MaxConnectionsPerServer = 16;
        if (Connection.RefreshableCredential is { } credential)
        {
            // An exec plugin may return a client certificate, and a new one later: chosen at each
            // handshake. (A fixed certificate is the SDK's to present; it replaces this callback.)
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => credential.ClientCertificate!;
        }
    }

    private void MarkReached() => Volatile.Write(ref _reached, 1);
}

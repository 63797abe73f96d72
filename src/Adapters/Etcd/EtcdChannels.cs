using System.Net.Security;
using Grpc.Net.Client;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// One gRPC channel to one etcd endpoint: <c>http://</c> is plaintext HTTP/2 (h2c), <c>https://</c> is TLS with the
/// configured CA, client certificate and server name. No balancing across endpoints: a channel reaches its member only.
/// </summary>
internal static class EtcdChannels
{
    /// <summary>Large enough for a page of keys-only Range and a snapshot message (etcd sends 32 KiB blobs).</summary>
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>The channel to <paramref name="endpoint"/>; connecting may take at most <paramref name="dialTimeout"/>.</summary>
    public static GrpcChannel Create(Uri endpoint, EtcdTlsMaterial material, EtcdServerCheck check, TimeSpan dialTimeout)
    {
        if (endpoint.Scheme is not ("http" or "https"))
        {
            throw new EtcdRequestException($"etcd endpoint {endpoint} is neither http:// nor https://", isTransient: false);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = dialTimeout,
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        if (endpoint.Scheme == "https")
        {
            handler.SslOptions = TlsOptions(material, check);
        }

        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = endpoint.Scheme == "https" && material.Access.TlsServerName is { } name ? new EtcdServerNameHandler(name, endpoint, handler) : handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
    }

    /// <summary>
    /// How TLS connections are made: the server certificate is checked by <paramref name="check"/> (for
    /// <c>tlsServerName</c>, or the endpoint's host); the client certificate is sent whatever CAs the server names.
    /// <c>TargetHost</c> is the server name only for connections made with these options directly (<see cref="EtcdTlsProbe"/>):
    /// the channel's handler replaces it with the request's host, which <see cref="EtcdServerNameHandler"/> makes
    /// <c>tlsServerName</c>.
    /// </summary>
    public static SslClientAuthenticationOptions TlsOptions(EtcdTlsMaterial material, EtcdServerCheck check) => new()
    {
        TargetHost = material.Access.TlsServerName,
        CertificateChainPolicy = check.ChainPolicy(),
        RemoteCertificateValidationCallback = check.Validate,
        ClientCertificateContext = material.Client is { } client
            ? SslStreamCertificateContext.Create(client, material.ClientChain, offline: true)
            : null,
    };
}

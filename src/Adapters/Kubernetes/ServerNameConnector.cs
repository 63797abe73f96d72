using System.Net.Security;
using System.Net.Sockets;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Opens a <see cref="SocketsHttpHandler"/>'s connections to the API server, TLS included, with kubeconfig's
/// <c>tls-server-name</c> as the TLS server name (SNI) and the name the certificate is for, as client-go does
/// (<c>tls.Config.ServerName</c>); the HTTP <c>Host</c> header (HTTP/2's <c>:authority</c>) stays the URL's host.
/// Every request on the handler gets it: the SDK's typed calls and watches, Strata's raw calls, and WebSockets
/// (<see cref="SharedHandlerWebSocketBuilder"/>).
/// </summary>
/// <remarks>
/// Why a <see cref="SocketsHttpHandler.ConnectCallback"/>: the handler ignores <c>SslOptions.TargetHost</c> and sets
/// each handshake's to the request's host — the <c>Host</c> header's when a request has one, else the URL's. A
/// <c>Host</c> header of <c>tls-server-name</c> (how etcd's <c>EtcdServerNameHandler</c> does it, where nothing reads
/// that header) would change what every request says it is for, which a proxy in front of the API server may route
/// on. Since .NET 7 the callback may return an authenticated <see cref="SslStream"/>, which the handler then uses as
/// it is. The session has the handler's own TLS options (trust and <see cref="ServerTrust.Validate"/>, client
/// certificate) and offers what the handler would (ALPN) for the request that opens the connection.
/// Through an HTTP or SOCKS proxy (<c>HTTPS_PROXY</c>, <c>ALL_PROXY</c>) the callback only reaches the proxy and the
/// handler opens the TLS session itself, with the URL's host as the server name; the certificate is still checked
/// against <c>tls-server-name</c> there.
/// </remarks>
internal sealed class ServerNameConnector(string serverName, SocketsHttpHandler handler)
{
    /// <summary>The handler's <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // As the handler connects when it has no callback.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        if (!IsToTheServer(context))
        {
            return stream;
        }

        var tls = new SslStream(stream);
        try
        {
            await tls.AuthenticateAsClientAsync(Options(context.InitialRequestMessage), cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    // An HTTPS request's own host and port, not a proxy's (a CONNECT is the handler's, to the proxy). A WebSocket's
    // request comes as wss://, which the handler takes as https://.
    private static bool IsToTheServer(SocketsHttpConnectionContext context) =>
        context.InitialRequestMessage is { RequestUri: { Scheme: "https" or "wss" } uri } request
        && request.Method != HttpMethod.Connect
        && string.Equals(context.DnsEndPoint.Host, uri.IdnHost, StringComparison.OrdinalIgnoreCase)
        && context.DnsEndPoint.Port == uri.Port;

    // The handler's options are read at each connection: the SDK adds its client certificate after Strata's setup.
    private SslClientAuthenticationOptions Options(HttpRequestMessage request)
    {
        var own = handler.SslOptions;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = ApplicationProtocols(request),
            AllowRenegotiation = own.AllowRenegotiation,
            AllowTlsResume = own.AllowTlsResume,
            CertificateChainPolicy = own.CertificateChainPolicy,
            CertificateRevocationCheckMode = own.CertificateRevocationCheckMode,
            CipherSuitesPolicy = own.CipherSuitesPolicy,
            ClientCertificateContext = own.ClientCertificateContext,
            ClientCertificates = own.ClientCertificates,
            EnabledSslProtocols = own.EnabledSslProtocols,
            EncryptionPolicy = own.EncryptionPolicy,
            LocalCertificateSelectionCallback = own.LocalCertificateSelectionCallback,
            RemoteCertificateValidationCallback = own.RemoteCertificateValidationCallback,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            options.AllowRsaPkcs1Padding = own.AllowRsaPkcs1Padding;
            options.AllowRsaPssPadding = own.AllowRsaPssPadding;
        }

        return options;
    }

    // What the handler offers for the request a connection is opened for (HttpConnectionPool.GetSslOptionsForRequest):
    // HTTP/2 alone when nothing less will do, HTTP/2 or HTTP/1.1 when either will, else no ALPN (HTTP/1.1, a
    // WebSocket upgrade among them). Offering HTTP/2 for a connection the handler wants for HTTP/1.1 would break it.
    private static List<SslApplicationProtocol>? ApplicationProtocols(HttpRequestMessage request) =>
        request.Version.Major >= 2 && request.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower ? [SslApplicationProtocol.Http2]
        : request.Version.Major >= 2 || request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]
        : null;
}

using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Opens the SDK's WebSockets (<c>pods/exec</c>, <c>attach</c>, <c>portforward</c>) through the
/// client's own HTTP handler, so they get the same server trust, <c>tls-server-name</c> and client
/// certificate as every other call. The SDK's default builder opens a bare <see cref="ClientWebSocket"/>
/// that knows neither the trust Strata applies nor a certificate an exec plugin returned.
/// </summary>
internal sealed class SharedHandlerWebSocketBuilder(HttpMessageInvoker handler) : WebSocketBuilder
{
    /// <summary>The handler presents the client certificate already; a socket with its own would be refused by <see cref="ClientWebSocket"/>.</summary>
    public override WebSocketBuilder AddClientCertificate(X509Certificate2 certificate) => this;

    /// <inheritdoc />
    public override async Task<WebSocket> BuildAndConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        await WebSocket.ConnectAsync(uri, handler, cancellationToken);
        return WebSocket;
    }
}

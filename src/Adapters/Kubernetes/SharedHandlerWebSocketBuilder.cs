using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Opens the SDK's WebSockets (<c>pods/exec</c>, <c>attach</c>, <c>portforward</c>) through the
/// client's own HTTP handler, so they get the same server trust, <c>tls-server-name</c> and client
/// certificate as every other call. The SDK's default builder opens a bare <see cref="ClientWebSocket"/>
/// that knows neither the trust Strata applies nor a certificate an exec plugin returned; and when
/// the server refuses the upgrade, it reports the status code without the server's <c>Status</c>.
/// The SDK requests one subprotocol; a <c>Sec-WebSocket-Protocol</c> header among a call's custom
/// headers offers more, after it (<see cref="SetRequestHeader"/>).
/// </summary>
internal sealed class SharedHandlerWebSocketBuilder(HttpMessageInvoker handler) : WebSocketBuilder
{
    /// <summary>The header whose comma-separated values become further subprotocols offered.</summary>
    public const string SubprotocolHeader = "Sec-WebSocket-Protocol";

    private readonly List<(string Name, string Value)> _headers = [];
    private readonly List<string> _moreSubprotocols = [];

    /// <summary>
    /// Sets a header of the upgrade request, except <see cref="SubprotocolHeader"/>: its values are
    /// offered as subprotocols after the one the SDK requests (which it adds after the headers), so
    /// a client can offer <c>v5.channel.k8s.io</c> and, for servers before 1.30, <c>v4.channel.k8s.io</c>.
    /// </summary>
    public override WebSocketBuilder SetRequestHeader(string headerName, string headerValue)
    {
        if (string.Equals(headerName, SubprotocolHeader, StringComparison.OrdinalIgnoreCase))
        {
            _moreSubprotocols.AddRange(headerValue.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return this;
        }

        _headers.Add((headerName, headerValue));
        return base.SetRequestHeader(headerName, headerValue);
    }

    /// <summary>The handler presents the client certificate already; a socket with its own would be refused by <see cref="ClientWebSocket"/>.</summary>
    public override WebSocketBuilder AddClientCertificate(X509Certificate2 certificate) => this;

    /// <inheritdoc />
    public override async Task<WebSocket> BuildAndConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        WebSocket.Options.CollectHttpResponseDetails = true;
        foreach (var subprotocol in _moreSubprotocols)
        {
            try
            {
                WebSocket.Options.AddSubProtocol(subprotocol);
            }
            catch (ArgumentException)
            {
                // Already requested.
            }
        }

        try
        {
            await WebSocket.ConnectAsync(uri, handler, cancellationToken);
            return WebSocket;
        }
        catch (WebSocketException e) when (WebSocket.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols)
        {
            throw await RefusalAsync(uri, e, cancellationToken);
        }
    }

    // The upgrade answer's body is not kept: the same request without the upgrade gets the server's Status.
    private async Task<KubernetesApiException> RefusalAsync(Uri uri, WebSocketException error, CancellationToken cancellationToken)
    {
        var http = new UriBuilder(uri) { Scheme = uri.Scheme == "wss" ? "https" : "http" }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, http);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await handler.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var refusal = KubernetesApiException.FromResponse((int)WebSocket.HttpStatusCode, body, $"GET {uri.AbsolutePath}");
        return new KubernetesApiException(refusal.Message, refusal.StatusCode, refusal.Reason, refusal.Status, error);
    }
}

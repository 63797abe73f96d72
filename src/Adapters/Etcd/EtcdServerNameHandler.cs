using System.Globalization;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Sends <c>tlsServerName</c> as the TLS server name (SNI). <see cref="SocketsHttpHandler"/> sets the handshake's
/// <c>TargetHost</c> to the request's host, whatever <c>SslOptions.TargetHost</c> says: to the <c>Host</c> header's when
/// a request has one, else to the URL's. So each request carries <c>Host: tlsServerName:port</c> (HTTP/2's
/// <c>:authority</c>, which etcd does not look at); the server's certificate is still checked by
/// <see cref="EtcdServerCheck"/> against that name.
/// </summary>
internal sealed class EtcdServerNameHandler(string serverName, Uri endpoint, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly string _host = $"{serverName}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = _host;
        return base.SendAsync(request, cancellationToken);
    }
}

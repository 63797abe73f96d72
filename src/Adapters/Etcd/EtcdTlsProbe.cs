using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Finds out why a TLS connection that got past the server's certificate then broke. With TLS 1.3 the client finishes
/// its handshake before the server checks the client's certificate, so a refused (or missing) client certificate
/// arrives as an alert on the first read — which the HTTP/2 stack may report only as a closed or disposed stream.
/// The probe makes one connection of its own with the same options, reads, and returns the alert the server sent.
/// </summary>
internal static class EtcdTlsProbe
{
    /// <summary>The alert's name (<c>bad certificate</c>, <c>certificate required</c>), or null when none came within <paramref name="timeout"/>.</summary>
    public static async Task<string?> AlertAsync(Uri endpoint, SslClientAuthenticationOptions options, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint.IdnHost, endpoint.Port, limit.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(Copy(options, endpoint), limit.Token);
            // An HTTP/2 server speaks first (its SETTINGS frame); a refusing one sends its alert instead. Writing
            // nothing, so a server that closed after its alert does not reset the connection before it is read.
            var buffer = new byte[256];
            _ = await tls.ReadAsync(buffer, limit.Token);
            return null;
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return EtcdCallFailures.AlertIn(e);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static SslClientAuthenticationOptions Copy(SslClientAuthenticationOptions options, Uri endpoint) => new()
    {
        TargetHost = options.TargetHost ?? endpoint.IdnHost,
        CertificateChainPolicy = options.CertificateChainPolicy,
        RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
        ClientCertificateContext = options.ClientCertificateContext,
        ApplicationProtocols = [SslApplicationProtocol.Http2],
    };
}

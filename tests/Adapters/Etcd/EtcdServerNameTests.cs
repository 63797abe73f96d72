using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>
/// What the connector sends as the TLS server name (SNI), seen by a TLS listener of the test's own that records it:
/// <c>tlsServerName</c> when set (a member behind a proxy or load balancer that routes by SNI needs it), and nothing for
/// an IP endpoint without it (SNI carries host names only).
/// </summary>
public sealed class EtcdServerNameTests : IDisposable
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    private readonly EtcdTestCertificates _pki = EtcdTestCertificates.Create();

    [Fact]
    public async Task Status_TlsServerNameSet_SentAsTheServerName()
    {
        var sent = await ServerNameSentAsync(EtcdTestCertificates.ServerName);

        Assert.Equal(EtcdTestCertificates.ServerName, sent);
    }

    [Fact]
    public async Task Status_IpEndpointWithoutTlsServerName_SendsNoServerName()
    {
        var sent = await ServerNameSentAsync(null);

        Assert.Equal("", sent);
    }

    public void Dispose() => _pki.Dispose();

    // The listener completes each handshake, records the first name sent, and hangs up; the call then fails.
    private async Task<string> ServerNameSentAsync(string? tlsServerName)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(_pki.ServerCertificateFile, _pki.ServerKeyFile);
        using var stop = new CancellationTokenSource();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sni = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = ServeAsync(listener, certificate, sni, stop.Token);
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var access = _pki.Access(new Uri($"https://127.0.0.1:{port}")) with { TlsServerName = tlsServerName, DialTimeout = TimeSpan.FromSeconds(5) };
            await using var endpoints = await Connector.ConnectAsync(access);

            await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());
            return await sni.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await serving;
        }
    }

    private static async Task ServeAsync(TcpListener listener, X509Certificate2 certificate, TaskCompletionSource<string> sni, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        sni.TrySetResult(name ?? "");
                        return certificate;
                    },
                }, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }
}

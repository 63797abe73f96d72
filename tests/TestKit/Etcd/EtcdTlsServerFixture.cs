using Xunit;

namespace Strata.TestKit.Etcd;

/// <summary>A single-member etcd serving TLS and requiring client certificates, shared by a test class (<c>IClassFixture</c>).</summary>
public sealed class EtcdTlsServerFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    /// <summary>The running member.</summary>
    public EtcdServer Server => _server ?? throw new InvalidOperationException("the etcd server is not started");

    /// <summary>Its CA, server and client certificates (and an unrelated CA).</summary>
    public EtcdTestCertificates Certificates => Server.Certificates!;

    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync(tls: true);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

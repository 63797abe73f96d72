using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>One plaintext single-member etcd for a test class.</summary>
public sealed class PlaintextEtcd : IAsyncLifetime
{
    private EtcdServer? _server;

    public EtcdServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync(name: "solo");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>One TLS single-member etcd (client certificates required) for a test class.</summary>
public sealed class TlsEtcd : IAsyncLifetime
{
    private EtcdServer? _server;

    public EtcdServer Server => _server ?? throw new InvalidOperationException("not started");

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

/// <summary>One plaintext three-member etcd cluster for a test class.</summary>
public sealed class ThreeMemberEtcd : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(members: 3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

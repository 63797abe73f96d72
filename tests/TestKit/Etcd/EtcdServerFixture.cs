using Xunit;

namespace Strata.TestKit.Etcd;

/// <summary>A plaintext single-member etcd (named <c>solo</c>) shared by a test class (<c>IClassFixture</c>); keys persist between its tests.</summary>
public sealed class EtcdServerFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    /// <summary>The running member.</summary>
    public EtcdServer Server => _server ?? throw new InvalidOperationException("the etcd server is not started");

    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync(name: "solo");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

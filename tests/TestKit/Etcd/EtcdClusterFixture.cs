using Xunit;

namespace Strata.TestKit.Etcd;

/// <summary>A plaintext three-member etcd cluster shared by a test class (<c>IClassFixture</c>); a test that pauses or kills a member must leave it as it found it.</summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    /// <summary>The running cluster.</summary>
    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("the etcd cluster is not started");

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(members: 3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>Members that cannot answer: nothing listening, or a hung process (SIGSTOP) whose port still accepts.</summary>
public sealed class EtcdUnreachableTests
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task Status_ClosedPort_TransientNamingTheEndpointWithinTheDialTimeout()
    {
        var endpoint = new Uri($"http://127.0.0.1:{ClosedPort()}");
        await using var endpoints = await Connector.ConnectAsync(new EtcdAccess { Endpoints = [endpoint], DialTimeout = TimeSpan.FromSeconds(2) });

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.True(failure.IsTransient);
        Assert.StartsWith($"etcd at {endpoint.GetLeftPart(UriPartial.Authority)} did not answer", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndSnapshot_PausedMember_TransientAfterTheDialTimeout()
    {
        await using var server = await EtcdServer.StartAsync();
        await using var endpoints = await Connector.ConnectAsync(server.Access with { DialTimeout = TimeSpan.FromSeconds(1) });
        var member = endpoints.Members[0];
        await member.StatusAsync();
        server.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            var status = await Assert.ThrowsAsync<EtcdRequestException>(() => member.StatusAsync());
            var snapshot = await Assert.ThrowsAsync<EtcdRequestException>(async () =>
            {
                await foreach (var chunk in member.SnapshotAsync())
                {
                }
            });

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(5));
            Assert.All([status, snapshot], e => Assert.True(e.IsTransient));
            Assert.All([status, snapshot], e => Assert.EndsWith("did not answer within 1 s", e.Message, StringComparison.Ordinal));
        }
        finally
        {
            server.Resume();
        }

        Assert.NotEqual(0UL, (await member.StatusAsync()).MemberId);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

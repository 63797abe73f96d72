using System.Diagnostics;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>
/// Members that cannot answer: nothing listening, or a hung process (SIGSTOP) whose port still accepts. Bounds on time
/// leave seconds of slack: the channels are cold and CI's two cores are shared with etcd servers other tests start.
/// </summary>
public sealed class EtcdUnreachableTests
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task Status_ClosedPort_TransientNamingTheEndpointWithinTheDialTimeout()
    {
        // Bound and never listening for the whole test: refused at once, and no etcd another test starts can take it.
        using var closed = new RefusingPort();
        var endpoint = closed.Url();
        var dialTimeout = TimeSpan.FromSeconds(2);
        await using var endpoints = await Connector.ConnectAsync(new EtcdAccess { Endpoints = [endpoint], DialTimeout = dialTimeout });

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.True(clock.Elapsed < dialTimeout + TimeSpan.FromSeconds(3), clock.Elapsed.ToString());
        Assert.True(failure.IsTransient);
        // Refused, not timed out ("did not answer within 2 s"): the refusal ends the call, not the dial timeout.
        Assert.StartsWith($"etcd at {endpoint.GetLeftPart(UriPartial.Authority)} did not answer: ", failure.Message, StringComparison.Ordinal);
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

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(8));
            Assert.All([status, snapshot], e => Assert.True(e.IsTransient));
            Assert.All([status, snapshot], e => Assert.EndsWith("did not answer within 1 s", e.Message, StringComparison.Ordinal));
        }
        finally
        {
            server.Resume();
        }

        // The same channel answers again once the member runs; a resumed process may take a moment on a loaded machine.
        Assert.NotEqual(0UL, (await StatusSoonAsync(member)).MemberId);
    }

    private static async Task<EtcdMemberStatus> StatusSoonAsync(IEtcdMember member)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await member.StatusAsync();
            }
            catch (EtcdRequestException) when (attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }
}

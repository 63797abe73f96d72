using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary><see cref="GrpcEtcdConnector"/> against a real single-member etcd over plaintext.</summary>
public sealed class GrpcEtcdMemberTests(EtcdServerFixture etcd) : IClassFixture<EtcdServerFixture>
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task Status_SingleMember_AnswersWithItselfAsLeaderAndItsVersion()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);

        var status = await Assert.Single(endpoints.Members).StatusAsync();

        Assert.NotEqual(0UL, status.MemberId);
        Assert.NotEqual(0UL, status.ClusterId);
        Assert.Equal(status.MemberId, status.Leader);
        Assert.StartsWith("3.", status.Version, StringComparison.Ordinal);
        Assert.True(status.RaftIndex > 0 && status.RaftAppliedIndex > 0 && status.RaftTerm > 0 && status.DbSize > 0 && status.Revision > 0, status.ToString());
        Assert.Empty(status.Errors);
        Assert.False(status.IsLearner);
    }

    [Fact]
    public async Task MemberList_SingleMember_ListsItsNamePeerAndClientUrls()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);
        var member = endpoints.Members[0];

        var listed = Assert.Single(await member.MemberListAsync());

        Assert.Equal("solo", listed.Name);
        Assert.Equal([etcd.Server.PeerUrl.GetLeftPart(UriPartial.Authority)], listed.PeerUrls);
        Assert.Equal([etcd.Server.Endpoint.GetLeftPart(UriPartial.Authority)], listed.ClientUrls);
        Assert.Equal((await member.StatusAsync()).MemberId, listed.Id);
    }

    [Fact]
    public async Task Keys_PrefixOverSeveralPages_ExactlyItsKeysInOrderNotTheNeighboursPrefix()
    {
        var pods = Enumerable.Range(0, (2 * GrpcEtcdMember.PageSize) + 345).Select(i => $"/registry/pods/ns-{i % 7}/pod-{i:00000}").ToList();
        string[] neighbours = ["/registry/podsx/ns/a", "/registry/pods", "/registry/pod/ns/b", "/registry/pods0"];
        await EtcdWriter.PutAsync(etcd.Server.Endpoint, pods.Concat(neighbours).Select(k => new KeyValuePair<string, byte[]>(k, [1, 2, 3])));
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);

        var keys = await endpoints.Members[0].KeysAsync("/registry/pods/").ToListAsync();

        Assert.Equal(pods.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Keys_NoKeyUnderThePrefix_Empty()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);

        Assert.Empty(await endpoints.Members[0].KeysAsync("/registry/nothing-here/").ToListAsync());
    }
}

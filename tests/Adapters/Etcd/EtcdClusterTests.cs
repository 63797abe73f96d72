using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary><see cref="GrpcEtcdConnector"/> against a real three-member etcd cluster: one channel, one answer, per member.</summary>
public sealed class EtcdClusterTests(EtcdClusterFixture etcd) : IClassFixture<EtcdClusterFixture>
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task MemberList_ThreeMembers_ListsEachNameWithItsPeerUrl()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Cluster.Access);

        var members = await endpoints.Members[1].MemberListAsync();

        Assert.Equal(["member-1", "member-2", "member-3"], members.Select(m => m.Name).Order());
        Assert.Equal(
            etcd.Cluster.Members.Select(m => (m.Name, m.PeerUrl.GetLeftPart(UriPartial.Authority))).Order(),
            members.Select(m => (m.Name, Assert.Single(m.PeerUrls))).Order());
    }

    [Fact]
    public async Task Status_EachMember_AnswersForItselfWithTheSameClusterAndLeader()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Cluster.Access);

        var statuses = await Task.WhenAll(endpoints.Members.Select(m => m.StatusAsync()));

        Assert.Single(statuses.Select(s => s.ClusterId).Distinct());
        Assert.Single(statuses.Select(s => s.Leader).Distinct());
        Assert.Equal(3, statuses.Select(s => s.MemberId).Distinct().Count());
        Assert.Contains(statuses, s => s.MemberId == s.Leader);
    }

    [Fact]
    public async Task Status_TlsClusterWithItsLeaderPaused_TheOthersAnswerThePausedOneIsTransient()
    {
        await using var cluster = await EtcdCluster.StartAsync(members: 3, tls: true);
        var leader = await cluster.LeaderIndexAsync();
        await using var endpoints = await Connector.ConnectAsync(cluster.Access with { DialTimeout = TimeSpan.FromSeconds(5) });
        // Warm every channel first (TCP, the TLS handshake, HTTP/2), so the timed calls below time only the pause.
        await Task.WhenAll(endpoints.Members.Select(m => m.StatusAsync()));

        cluster.Members[leader].Pause();
        var answers = await Task.WhenAll(endpoints.Members.Select(async m =>
        {
            try
            {
                return (Status: (EtcdMemberStatus?)await m.StatusAsync(), Failure: (EtcdRequestException?)null);
            }
            catch (EtcdRequestException e)
            {
                return (Status: null, Failure: e);
            }
        }));
        cluster.Members[leader].Resume();

        Assert.InRange(leader, 0, 2);
        Assert.True(answers[leader].Failure is { IsTransient: true }, answers[leader].ToString());
        Assert.Contains(cluster.Members[leader].Endpoint.GetLeftPart(UriPartial.Authority), answers[leader].Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(2, answers.Count(a => a.Status is not null));
    }
}

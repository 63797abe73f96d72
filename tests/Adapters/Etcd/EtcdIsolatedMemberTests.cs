using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>
/// A member cut off from raft (<see cref="EtcdCluster.Isolate"/>: its peer links cut both ways) while its clients still
/// reach it, on a real three-member cluster: it falls behind, says so in its Status at once, and catches up when healed.
/// </summary>
public sealed class EtcdIsolatedMemberTests
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task Status_MemberCutOffFromRaft_AnswersWithLowerIndexes_AndCatchesUpWhenHealed()
    {
        await using var cluster = await EtcdCluster.StartAsync(members: 3, peerLinks: true, follower: 2);
        await using var endpoints = await Connector.ConnectAsync(cluster.Access);

        cluster.Isolate(2);
        await EtcdWriter.PutAsync(cluster.Members[0].Endpoint, Enumerable.Range(0, 100).Select(i => KeyValuePair.Create($"/registry/pods/shop/p-{i}", new byte[] { 1 })));
        var statuses = await Task.WhenAll(endpoints.Members.Select(m => m.StatusAsync()));

        // Member 1 applied the puts made through it; member 2 gets them from the same leader (at once, or nearly).
        var (current, behind) = (statuses[0], statuses[2]);
        var peer = await EtcdStatusPolling.UntilAsync(() => endpoints.Members[1].StatusAsync(), s => s.RaftAppliedIndex >= current.RaftAppliedIndex);
        Assert.Equal(current.Revision, peer.Revision);
        // The cut-off member answers, for itself, as a follower with a leader (the one it last heard: members 1 and 2 may
        // have elected another meanwhile on a loaded machine), without alarms: only its log is stale — short of at
        // least the hundred puts.
        Assert.Equal((true, 0), (behind.Leader != 0, behind.Errors.Count));
        Assert.True(behind.RaftIndex + 100 <= current.RaftIndex && behind.RaftAppliedIndex + 100 <= current.RaftAppliedIndex, $"{current} and {behind}");
        Assert.True(behind.Revision + 100 <= current.Revision, $"{current} and {behind}");

        cluster.Heal();
        var caughtUp = await EtcdStatusPolling.UntilAsync(() => endpoints.Members[2].StatusAsync(), s => s.RaftAppliedIndex >= current.RaftAppliedIndex);
        Assert.Equal(current.Revision, caughtUp.Revision);
    }
}

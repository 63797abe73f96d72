using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>
/// A throwaway etcd cluster on loopback, bootstrapped statically (<c>--initial-cluster</c> naming every member), as a
/// kubeadm control plane's stacked etcd is: <see cref="Members"/> are <see cref="EtcdServer"/>s named
/// <c>member-1</c>…, each can be paused, resumed or killed — and, with peer links, cut off from raft while clients
/// still reach it (<see cref="Isolate"/>). Disposing kills them all and deletes their folders.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private const int Attempts = 4;

    private readonly EtcdTestCertificates? _ownedCertificates;

    private EtcdCluster(IReadOnlyList<EtcdServer> members, IReadOnlyList<PeerLink> links, EtcdTestCertificates? certificates, EtcdTestCertificates? owned)
    {
        Members = members;
        PeerLinks = links;
        Certificates = certificates;
        _ownedCertificates = owned;
    }

    /// <summary>The members, in the order of <see cref="Access"/>'s endpoints.</summary>
    public IReadOnlyList<EtcdServer> Members { get; }

    /// <summary>Each member's peer link (the member's advertised peer URL), in the order of <see cref="Members"/>; empty without peer links.</summary>
    public IReadOnlyList<PeerLink> PeerLinks { get; }

    /// <summary>The TLS material, or null for plaintext.</summary>
    public EtcdTestCertificates? Certificates { get; }

    /// <summary>Every member's client URL, in order.</summary>
    public IReadOnlyList<Uri> Endpoints => [.. Members.Select(m => m.Endpoint)];

    /// <summary>How Strata reaches the cluster: every endpoint, and with TLS the CA, client certificate and key.</summary>
    public EtcdAccess Access => Certificates?.Access([.. Endpoints]) ?? new EtcdAccess { Endpoints = Endpoints };

    /// <summary>
    /// Starts <paramref name="members"/> members (plaintext, or TLS with client certificates required:
    /// <paramref name="certificates"/>, or new ones it owns) and waits until each answers with a leader. With
    /// <paramref name="peerLinks"/>, every member's peer traffic runs through a <see cref="PeerLink"/> (its advertised
    /// peer URL), so that <see cref="Isolate"/> can cut one off. <paramref name="follower"/>: the index of a member
    /// started to stay a follower (a 50 s election timeout, see <c>EtcdMemberPlan.Follower</c>): it never leads, and
    /// isolated it keeps its last leader, so its Status shows it behind rather than leaderless.
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(
        int members = 3, bool tls = false, EtcdTestCertificates? certificates = null, bool peerLinks = false, int? follower = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        var owned = tls && certificates is null ? EtcdTestCertificates.Create() : null;
        var pki = tls ? certificates ?? owned : null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var ports = LoopbackPorts.Free(2 * members);
                var token = EtcdServer.Token();
                var links = peerLinks ? Enumerable.Range(0, members).Select(i => new PeerLink(ports[(2 * i) + 1])).ToList() : [];
                var plans = Enumerable.Range(0, members)
                    .Select(i => new EtcdMemberPlan($"member-{i + 1}", ports[2 * i], ports[(2 * i) + 1], "", token, pki)
                    {
                        AdvertisedPeerPort = peerLinks ? links[i].Port : null,
                        Follower = i == follower,
                    })
                    .ToList();
                var initialCluster = string.Join(',', plans.Select(p => p.ClusterEntry));
                var servers = plans.Select(p => EtcdServer.Launch(p with { InitialCluster = initialCluster })).ToList();
                try
                {
                    await Task.WhenAll(servers.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken)));
                    var cluster = new EtcdCluster(servers, links, pki, owned);
                    owned = null;
                    return cluster;
                }
                catch (Exception e) when (attempt < Attempts && servers.Any(s => s.PortTaken) && e is not OperationCanceledException)
                {
                    await DisposeAllAsync(servers, links);
                }
                catch
                {
                    await DisposeAllAsync(servers, links);
                    throw;
                }
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>The index in <see cref="Members"/> of the member the first answering member believes leads.</summary>
    public async Task<int> LeaderIndexAsync(CancellationToken cancellationToken = default)
    {
        var connector = new GrpcEtcdConnector(new SecretResolver(Environment.GetEnvironmentVariable));
        await using var endpoints = await connector.ConnectAsync(Access with { DialTimeout = TimeSpan.FromSeconds(5) }, cancellationToken);
        var statuses = new List<EtcdMemberStatus>();
        foreach (var member in endpoints.Members)
        {
            statuses.Add(await member.StatusAsync(cancellationToken));
        }

        return statuses.FindIndex(s => s.MemberId == statuses[0].Leader);
    }

    /// <summary>
    /// Cuts member <paramref name="index"/> off from raft, both ways, while its clients still reach it: its own link
    /// drops and refuses every connection (peers dialing it), and the others' links those it makes (it dialing them).
    /// Needs peer links; <see cref="Heal"/> undoes it.
    /// </summary>
    public void Isolate(int index)
    {
        if (PeerLinks.Count == 0)
        {
            throw new InvalidOperationException("the cluster was started without peer links (EtcdCluster.StartAsync(peerLinks: true))");
        }

        PeerLinks[index].Cut();
        foreach (var link in PeerLinks.Where((_, i) => i != index))
        {
            link.CutFrom(Members[index].ProcessId);
        }
    }

    /// <summary>Lets every peer link forward everything again.</summary>
    public void Heal()
    {
        foreach (var link in PeerLinks)
        {
            link.Restore();
        }
    }

    /// <summary>Kills every member, stops the peer links and deletes the members' folders.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAllAsync(Members, PeerLinks);
        _ownedCertificates?.Dispose();
    }

    private static async Task DisposeAllAsync(IEnumerable<EtcdServer> servers, IEnumerable<PeerLink> links)
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        foreach (var link in links)
        {
            await link.DisposeAsync();
        }
    }
}

using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>
/// A throwaway etcd cluster on loopback, bootstrapped statically (<c>--initial-cluster</c> naming every member), as a
/// kubeadm control plane's stacked etcd is: <see cref="Members"/> are <see cref="EtcdServer"/>s named
/// <c>member-1</c>…, each can be paused, resumed or killed. Disposing kills them all and deletes their folders.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private const int Attempts = 4;

    private readonly EtcdTestCertificates? _ownedCertificates;

    private EtcdCluster(IReadOnlyList<EtcdServer> members, EtcdTestCertificates? certificates, EtcdTestCertificates? owned)
    {
        Members = members;
        Certificates = certificates;
        _ownedCertificates = owned;
    }

    /// <summary>The members, in the order of <see cref="Access"/>'s endpoints.</summary>
    public IReadOnlyList<EtcdServer> Members { get; }

    /// <summary>The TLS material, or null for plaintext.</summary>
    public EtcdTestCertificates? Certificates { get; }

    /// <summary>Every member's client URL, in order.</summary>
    public IReadOnlyList<Uri> Endpoints => [.. Members.Select(m => m.Endpoint)];

    /// <summary>How Strata reaches the cluster: every endpoint, and with TLS the CA, client certificate and key.</summary>
    public EtcdAccess Access => Certificates?.Access([.. Endpoints]) ?? new EtcdAccess { Endpoints = Endpoints };

    /// <summary>
    /// Starts <paramref name="members"/> members (plaintext, or TLS with client certificates required:
    /// <paramref name="certificates"/>, or new ones it owns) and waits until each answers with a leader.
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(
        int members = 3, bool tls = false, EtcdTestCertificates? certificates = null, CancellationToken cancellationToken = default)
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
                var plans = Enumerable.Range(0, members)
                    .Select(i => new EtcdMemberPlan($"member-{i + 1}", ports[2 * i], ports[(2 * i) + 1], "", token, pki))
                    .ToList();
                var initialCluster = string.Join(',', plans.Select(p => p.ClusterEntry));
                var servers = plans.Select(p => EtcdServer.Launch(p with { InitialCluster = initialCluster })).ToList();
                try
                {
                    await Task.WhenAll(servers.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken)));
                    var cluster = new EtcdCluster(servers, pki, owned);
                    owned = null;
                    return cluster;
                }
                catch (Exception e) when (attempt < Attempts && servers.Any(s => s.PortTaken) && e is not OperationCanceledException)
                {
                    await DisposeAllAsync(servers);
                }
                catch
                {
                    await DisposeAllAsync(servers);
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

    /// <summary>Kills every member and deletes their folders.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAllAsync(Members);
        _ownedCertificates?.Dispose();
    }

    private static async Task DisposeAllAsync(IEnumerable<EtcdServer> servers)
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }
}

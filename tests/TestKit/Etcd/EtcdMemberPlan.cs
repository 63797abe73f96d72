using System.Globalization;

namespace Strata.TestKit.Etcd;

/// <summary>How one throwaway member is started: its name, loopback ports, the cluster it bootstraps with, TLS or not.</summary>
internal sealed record EtcdMemberPlan(string Name, int ClientPort, int PeerPort, string InitialCluster, string ClusterToken, EtcdTestCertificates? Certificates)
{
    /// <summary>
    /// Where peers dial it when that is not <see cref="PeerPort"/> (a <see cref="PeerLink"/> forwarding there): it listens
    /// on <see cref="PeerPort"/> and advertises this one.
    /// </summary>
    public int? AdvertisedPeerPort { get; init; }

    /// <summary>
    /// A member that stays a follower: a 50 s election timeout (etcd's longest; the others keep 1 s) and no election
    /// ticks advanced at boot, so it never campaigns first and never leads, and cut off from its peers it keeps its
    /// last leader for 50 s or more — its Status then shows how far behind it is rather than "no leader".
    /// </summary>
    public bool Follower { get; init; }

    /// <summary>The backend quota (<c>--quota-backend-bytes</c>): 2 GiB, or a few hundred kilobytes to raise <c>NOSPACE</c>.</summary>
    public long QuotaBackendBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Its client URL.</summary>
    public Uri ClientUrl => new($"{(Certificates is null ? "http" : "https")}://127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Its peer URL as peers dial it (plaintext: the tests are about the client side).</summary>
    public Uri PeerUrl => new($"http://127.0.0.1:{(AdvertisedPeerPort ?? PeerPort).ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The peer URL it listens on.</summary>
    public Uri ListenPeerUrl => new($"http://127.0.0.1:{PeerPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary><c>name=peerUrl</c>, an entry of <c>--initial-cluster</c>.</summary>
    public string ClusterEntry => $"{Name}={PeerUrl.GetLeftPart(UriPartial.Authority)}";

    /// <summary>The command line of <c>etcd</c> for this member, its data in <paramref name="dataDirectory"/>.</summary>
    public IEnumerable<string> Arguments(string dataDirectory)
    {
        var client = ClientUrl.GetLeftPart(UriPartial.Authority);
        var peer = PeerUrl.GetLeftPart(UriPartial.Authority);
        var listenPeer = ListenPeerUrl.GetLeftPart(UriPartial.Authority);
        string[] arguments =
        [
            "--name", Name, "--data-dir", dataDirectory,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", listenPeer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", InitialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", ClusterToken,

            // Room for the 200 MB benchmark (the default quota is 2 GiB too, but says so here); no auto compaction, as
            // etcd's defaults (a kubeadm cluster's API server compacts); no v2 API; logs as JSON lines on stderr.
            "--quota-backend-bytes", QuotaBackendBytes.ToString(CultureInfo.InvariantCulture),
            "--auto-compaction-mode", "periodic", "--auto-compaction-retention", "0",
            "--enable-v2=false", "--logger=zap", "--log-outputs=stderr",
        ];
        if (Follower)
        {
            arguments = [.. arguments, "--heartbeat-interval", "100", "--election-timeout", "50000", "--initial-election-tick-advance=false"];
        }

        return Certificates is { } pki
            ? [.. arguments, "--cert-file", pki.ServerCertificateFile, "--key-file", pki.ServerKeyFile, "--trusted-ca-file", pki.CaFile, "--client-cert-auth"]
            : arguments;
    }
}

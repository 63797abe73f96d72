using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Strata.TestKit.Etcd;

/// <summary>How one throwaway member is started: its name, loopback ports, the cluster it bootstraps with, TLS or not.</summary>
internal sealed record EtcdMemberPlan(string Name, int ClientPort, int PeerPort, string InitialCluster, string ClusterToken, EtcdTestCertificates? Certificates)
{
    /// <summary>The backend quota (<c>--quota-backend-bytes</c>): 2 GiB, or a few hundred kilobytes to raise <c>NOSPACE</c>.</summary>
    public long QuotaBackendBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Its client URL.</summary>
    public Uri ClientUrl => new($"{(Certificates is null ? "http" : "https")}://127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Its peer URL (plaintext: the tests are about the client side).</summary>
    public Uri PeerUrl => new($"http://127.0.0.1:{PeerPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary><c>name=peerUrl</c>, an entry of <c>--initial-cluster</c>.</summary>
    public string ClusterEntry => $"{Name}={PeerUrl.GetLeftPart(UriPartial.Authority)}";

    /// <summary>The command line of <c>etcd</c> for this member, its data in <paramref name="dataDirectory"/>.</summary>
    public IEnumerable<string> Arguments(string dataDirectory)
    {
        var client = ClientUrl.GetLeftPart(UriPartial.Authority);
        var peer = PeerUrl.GetLeftPart(UriPartial.Authority);
        string[] arguments =
        [
            "--name", Name, "--data-dir", dataDirectory,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", InitialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", ClusterToken,

            // Room for the 200 MB benchmark (the default quota is 2 GiB too, but says so here); no auto compaction, as
            // etcd's defaults (a kubeadm cluster's API server compacts); no v2 API; logs as JSON lines on stderr.
            "--quota-backend-bytes", QuotaBackendBytes.ToString(CultureInfo.InvariantCulture),
            "--auto-compaction-mode", "periodic", "--auto-compaction-retention", "0",
            "--enable-v2=false", "--logger=zap", "--log-outputs=stderr",
        ];
        return Certificates is { } pki
            ? [.. arguments, "--cert-file", pki.ServerCertificateFile, "--key-file", pki.ServerKeyFile, "--trusted-ca-file", pki.CaFile, "--client-cert-auth"]
            : arguments;
    }

    /// <summary><paramref name="count"/> distinct free loopback ports (taken by listeners, then released together).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}

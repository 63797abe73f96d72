using Strata.Core.Configuration;

namespace Strata.Core.Etcd;

/// <summary>
/// How Strata reaches a self-managed cluster's etcd (<c>etcd:</c> of a cluster in strata.yaml): its client endpoints
/// and, for <c>https</c>, the CA and client certificate etcd trusts. A cluster without it has no etcd Strata can reach
/// (a managed control plane: AKS, EKS, GKE), and its etcd layer is "not applicable".
/// </summary>
public sealed record EtcdAccess
{
    /// <summary>The members' client URLs (<c>https://10.0.0.11:2379</c>), in the order they are tried when readings tie.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>The PEM CA certificate(s) the members' serving certificates chain to; system roots when null.</summary>
    public SecretReference? CertificateAuthority { get; init; }

    /// <summary>The PEM client certificate (kubeadm: <c>/etc/kubernetes/pki/apiserver-etcd-client.crt</c>).</summary>
    public SecretReference? ClientCertificate { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertificate"/>.</summary>
    public SecretReference? ClientKey { get; init; }

    /// <summary>The name the serving certificates are checked against, when it is not the endpoint's host; also sent as the TLS server name (SNI).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// How long one call to a member may take before it counts as down: <c>Status</c>, <c>MemberList</c>, each page of a
    /// key listing, and a snapshot's first message (the stream then runs as long as the layer's timeout allows). The
    /// adapter (<see cref="IEtcdMember"/>) applies it; the layer adds no deadline of its own per call.
    /// </summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The line in strata.yaml where it is defined.</summary>
    public int Line { get; init; }
}

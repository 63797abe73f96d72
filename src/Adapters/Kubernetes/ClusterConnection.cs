using System.Security.Cryptography.X509Certificates;
using Strata.Adapters.Kubernetes.Credentials;

namespace Strata.Adapters.Kubernetes;

/// <summary>Everything needed to talk to one API server: where, how to trust it, who to be.</summary>
public sealed record ClusterConnection
{
    /// <summary>The context (or <c>in-cluster</c>) this came from; used as the cluster's name.</summary>
    public required string Name { get; init; }

    /// <summary>The API server, e.g. <c>https://10.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>CA certificates to trust for the server; system roots when empty.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    /// <summary>Skip verification of the server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to check the server certificate against and send as SNI.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Where credentials come from; null for anonymous.</summary>
    public ICredentialSource? Credentials { get; init; }

    /// <summary>The context's default namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Where the configuration was read, for messages.</summary>
    public string Source { get; init; } = string.Empty;
}

namespace Strata.Core.Configuration;

/// <summary>
/// One cluster and how to reach it: a kubeconfig context, or a server with a CA and a credential.
/// Credentials are <see cref="SecretReference"/>s, resolved when the cluster is contacted.
/// </summary>
public sealed record ClusterDefinition
{
    /// <summary>The cluster's name in Strata (storage keys, run history, alerts).</summary>
    public required string Name { get; init; }

    /// <summary>A kubeconfig file; null for <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use (when <see cref="Server"/> is not given).</summary>
    public string? Context { get; init; }

    /// <summary>The API server URL, when the cluster is given directly rather than by context.</summary>
    public Uri? Server { get; init; }

    /// <summary>A PEM file of CA certificates for <see cref="Server"/>; system roots when null.</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>Name to check the server certificate against.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Skip verifying the server certificate (test clusters only).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>A bearer token.</summary>
    public SecretReference? Token { get; init; }

    /// <summary>A PEM client certificate.</summary>
    public SecretReference? ClientCertificate { get; init; }

    /// <summary>The PEM key of <see cref="ClientCertificate"/>.</summary>
    public SecretReference? ClientKey { get; init; }

    /// <summary>Authenticate with an Entra ID token for AKS (managed or workload identity).</summary>
    public bool EntraId { get; init; }

    /// <summary>How to reach the cluster's own etcd (self-managed control planes); null for a managed control plane.</summary>
    public Etcd.EtcdAccess? Etcd { get; init; }

    /// <summary>Free-form tags that policies select on.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The line in the file where the cluster is defined.</summary>
    public int Line { get; init; }
}

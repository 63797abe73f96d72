using k8s;
using Strata.Adapters.Kubernetes.Credentials;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Everything needed to talk to one API server: the SDK's <see cref="KubernetesClientConfiguration"/>
/// (server, namespace, static token or client certificate, or a <see cref="CredentialTokenProvider"/>
/// for credentials that change) and the <see cref="ServerTrust"/> Strata applies itself.
/// </summary>
public sealed record ClusterConnection
{
    /// <summary>The context (or <c>in-cluster</c>, or the strata.yaml cluster) this came from; used as the cluster's name.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The SDK's configuration. Its TLS fields (<c>SslCaCerts</c>, <c>SkipTlsVerify</c>,
    /// <c>TlsServerName</c>) stay empty: <see cref="Trust"/> holds them.
    /// </summary>
    public required KubernetesClientConfiguration Configuration { get; init; }

    /// <summary>How the server's certificate is checked.</summary>
    public ServerTrust Trust { get; init; } = ServerTrust.SystemRoots;

    /// <summary>Where the configuration was read, for messages.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The API server, e.g. <c>https://10.0.0.1:6443/</c>.</summary>
    public Uri Server => new(Configuration.Host);

    /// <summary>The context's default namespace.</summary>
    public string? Namespace => Configuration.Namespace;

    /// <summary>The credential Strata refreshes after a 401, if the configuration has one.</summary>
    public CredentialTokenProvider? RefreshableCredential => Configuration.TokenProvider as CredentialTokenProvider;
}

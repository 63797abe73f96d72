using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using k8s;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Adapters.Kubernetes.Credentials;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Reaches the clusters of strata.yaml: a kubeconfig context, or a server with a CA file and a
/// token, client certificate or Entra ID token (AKS). Secrets are resolved when a cluster is first
/// contacted; a token is read again when the server refuses it (a rotated Key Vault secret takes
/// effect without a restart), token files as they rotate. One client per cluster, kept for reuse;
/// its options are <paramref name="options"/>, or else what <see cref="KubernetesSettings"/> reads
/// from <paramref name="environment"/>.
/// </summary>
public sealed class ConfiguredClusters(
    SecretResolver secrets, Func<string, string?> environment, TimeProvider time, TokenCredential? entraId = null, KubernetesClientOptions? options = null)
    : IClusterConnector, IDisposable
{
    /// <summary>The Entra ID application of AKS's API server (the scope of its tokens).</summary>
    public const string AksScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    private readonly ConcurrentDictionary<string, Lazy<Task<KubernetesClient>>> _clients = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IClusterWriter> ConnectAsync(ClusterDefinition cluster, CancellationToken cancellationToken = default)
    {
        var lazy = _clients.GetOrAdd(cluster.Name, _ => new Lazy<Task<KubernetesClient>>(() => CreateAsync(cluster, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _clients.TryRemove(new KeyValuePair<string, Lazy<Task<KubernetesClient>>>(cluster.Name, lazy));
            throw;
        }
    }

    /// <summary>The connection for <paramref name="cluster"/> (resolving its secrets).</summary>
    public async Task<ClusterConnection> ResolveAsync(ClusterDefinition cluster, CancellationToken cancellationToken = default)
    {
        if (cluster.Server is null)
        {
            return Kubeconfig.Load(cluster.Kubeconfig, environment).Resolve(cluster.Context, time) with { Name = cluster.Name };
        }

        var where = $"strata.yaml cluster \"{cluster.Name}\"";
        var authorities = new X509Certificate2Collection();
        if (cluster.CertificateAuthority is { } caFile)
        {
            try
            {
                authorities.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new KubeconfigException($"{where}: certificateAuthority {caFile} cannot be read ({e.Message})", e);
            }
        }

        var configuration = new KubernetesClientConfiguration { Host = cluster.Server.ToString() };
        if (cluster.ClientCertificate is { } certificateReference && cluster.ClientKey is { } keyReference)
        {
            // The SDK builds the certificate from the PEM and presents it on its own handler.
            configuration.ClientCertificateData = Base64(await secrets.ResolveAsync(certificateReference, cancellationToken));
            configuration.ClientCertificateKeyData = Base64(await secrets.ResolveAsync(keyReference, cancellationToken));
        }

        ICredentialSource? credential = cluster switch
        {
            { Token: { Source: SecretSource.File } file } => new TokenFileCredential(file.Name, where, time),
            { Token: { } token } => new ReferencedToken(secrets, token, await secrets.ResolveAsync(token, cancellationToken), time),
            { EntraId: true } => new EntraIdToken(entraId ?? throw new KubeconfigException($"{where}: entraId is set but no Entra ID credential is available")),
            _ => null,
        };
        configuration.TokenProvider = credential is null ? null : new CredentialTokenProvider(credential);
        return new ClusterConnection
        {
            Name = cluster.Name,
            Configuration = configuration,
            Trust = new ServerTrust
            {
                CertificateAuthorities = authorities,
                InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
                TlsServerName = cluster.TlsServerName,
            },
            Source = where,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _clients.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        _clients.Clear();
    }

    private async Task<KubernetesClient> CreateAsync(ClusterDefinition cluster, CancellationToken cancellationToken) =>
        new(await ResolveAsync(cluster, cancellationToken), options ?? KubernetesSettings.Options(environment), time);

    private static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
}

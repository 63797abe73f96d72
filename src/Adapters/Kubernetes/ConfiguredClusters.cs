using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
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
/// effect without a restart), token files as they rotate. One client per cluster, kept for reuse.
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

        X509Certificate2? certificate = null;
        if (cluster.ClientCertificate is { } certificateReference && cluster.ClientKey is { } keyReference)
        {
            certificate = ClientCertificates.FromPem(
                await secrets.ResolveAsync(certificateReference, cancellationToken), await secrets.ResolveAsync(keyReference, cancellationToken), where);
        }

        ICredentialSource? credentials = cluster switch
        {
            { Token: { Source: SecretSource.File } file } => new TokenFileCredential(file.Name, where, time) { StaticCertificate = certificate },
            { Token: { } token } => new ReferencedToken(secrets, token, await secrets.ResolveAsync(token, cancellationToken), certificate, time),
            { EntraId: true } => new EntraIdCredential(entraId ?? throw new KubeconfigException($"{where}: entraId is set but no Entra ID credential is available"), certificate),
            _ when certificate is not null => new StaticCredential(null, certificate),
            _ => null,
        };
        return new ClusterConnection
        {
            Name = cluster.Name,
            Server = cluster.Server,
            CertificateAuthorities = authorities,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
            Credentials = credentials,
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
        new(await ResolveAsync(cluster, cancellationToken), options, time);

    /// <summary>An Entra ID access token for AKS, renewed by the credential before it expires.</summary>
    private sealed class EntraIdCredential(TokenCredential credential, X509Certificate2? certificate) : ICredentialSource
    {
        public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([AksScope]), cancellationToken);
            return new Credential(token.Token, certificate, token.ExpiresOn);
        }
    }

    /// <summary>
    /// A token referenced in strata.yaml (environment variable or Key Vault secret): resolved again
    /// when the server refused it — at most every <see cref="RereadInterval"/>, so a burst of 401s
    /// makes one Key Vault call. A secret that cannot be read then leaves the refused token in place.
    /// </summary>
    private sealed class ReferencedToken(SecretResolver secrets, SecretReference reference, string token, X509Certificate2? certificate, TimeProvider time)
        : ICredentialSource
    {
        private static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(30);
        private readonly SemaphoreSlim _reading = new(1, 1);
        private Credential _current = new(token, certificate);
        private DateTimeOffset _readAt = time.GetUtcNow();

        public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
        {
            if (!refresh || time.GetUtcNow() - _readAt < RereadInterval)
            {
                return _current;
            }

            await _reading.WaitAsync(cancellationToken);
            try
            {
                if (time.GetUtcNow() - _readAt >= RereadInterval)
                {
                    try
                    {
                        _current = new Credential(await secrets.ResolveAsync(reference, cancellationToken), certificate);
                    }
                    catch (SecretUnavailableException)
                    {
                        // Keep the token the server refused: the request fails as the 401 it is, and a later one tries again.
                    }

                    _readAt = time.GetUtcNow();
                }

                return _current;
            }
            finally
            {
                _reading.Release();
            }
        }
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// HTTP connections to one API server: TLS trust from the kubeconfig's CA (or system roots, or
/// none with insecure-skip-tls-verify), <c>tls-server-name</c> for SNI and the name check, and the
/// client certificate. A new certificate (an exec plugin rotated it) gets a new connection pool.
/// </summary>
internal sealed class KubernetesTransport(ClusterConnection connection) : IDisposable
{
    private readonly Lock _gate = new();
    private HttpClient? _client;
    private X509Certificate2? _clientCertificate;

    public HttpClient For(X509Certificate2? clientCertificate)
    {
        lock (_gate)
        {
            if (_client is not null && ReferenceEquals(clientCertificate, _clientCertificate))
            {
                return _client;
            }

            // The old client may still serve requests in flight; it is left to the GC.
            _client = Create(clientCertificate);
            _clientCertificate = clientCertificate;
            return _client;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
        }
    }

    private HttpClient Create(X509Certificate2? clientCertificate)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = Validate,
        };
        if (connection.TlsServerName is { } serverName)
        {
            ssl.TargetHost = serverName;
        }

        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 16,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return new HttpClient(handler)
        {
            BaseAddress = connection.Server,
            Timeout = Timeout.InfiniteTimeSpan, // per-attempt timeouts come from the retry loop
            DefaultRequestVersion = System.Net.HttpVersion.Version11,
        };
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (connection.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        var cert = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var nameOk = connection.TlsServerName is { } name
            ? cert.MatchesHostname(name)
            : !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        if (!nameOk)
        {
            return false;
        }

        if (connection.CertificateAuthorities.Count == 0)
        {
            return !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable);
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(connection.CertificateAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }

        return custom.Build(cert);
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Checks one endpoint's serving certificate: it chains to the configured CA (or the system roots when none is
/// configured) and is for the endpoint's host, or for <c>tlsServerName</c> when set. Keeps why it refused the last
/// one, so a failed call can say so instead of the TLS stack's "rejected by the validation callback".
/// </summary>
internal sealed class EtcdServerCheck(Uri endpoint, EtcdTlsMaterial material)
{
    private volatile string? _rejection;
    private volatile bool _accepted;

    /// <summary>Why the last certificate was refused; null when none was.</summary>
    public string? Rejection => _rejection;

    /// <summary>Whether the last certificate checked was accepted (the TLS handshake got past the server's certificate).</summary>
    public bool Accepted => _accepted;

    /// <summary>The chain policy the handler builds the server's chain with: the configured CA only, no revocation check.</summary>
    public X509ChainPolicy? ChainPolicy()
    {
        if (material.Authorities.Count == 0)
        {
            return null;
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(material.Authorities);
        return policy;
    }

    /// <summary>The validation callback (<see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>).</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var rejection = Problem(certificate, chain, errors);
        _rejection = rejection;
        _accepted = rejection is null;
        return rejection is null;
    }

    private string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server presented no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var trust = material.Access.CertificateAuthority is { } ca ? $"the configured CA ({ca})" : "the system's root CAs (no certificateAuthority is configured)";
            var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
            var issuer = certificate.Issuer;
            return $"the server certificate is not trusted by {trust}: issued by '{issuer}'" + (statuses.Count > 0 ? $" ({string.Join(", ", statuses)})" : "");
        }

        // The platform checks the name it connected with (the URL's host, or tlsServerName: EtcdServerNameHandler);
        // with tlsServerName set the name is checked here too, so a connection made any other way is held to it.
        var name = material.Access.TlsServerName ?? endpoint.IdnHost;
        var matches = material.Access.TlsServerName is null
            ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            : (certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())).MatchesHostname(name);
        return matches
            ? null
            : $"the server certificate ('{certificate.Subject}') is not for '{name}'"
                + (material.Access.TlsServerName is null ? " (set tlsServerName to the name it is issued for)" : " (tlsServerName)");
    }
}

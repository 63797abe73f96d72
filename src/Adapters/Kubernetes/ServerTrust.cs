using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// How the API server's certificate is checked: against the kubeconfig's CA (or the system roots,
/// or not at all with <c>insecure-skip-tls-verify</c>), for the server's host name or the
/// kubeconfig's <c>tls-server-name</c>, which is also sent as SNI (<see cref="ServerNameConnector"/>).
/// </summary>
/// <remarks>
/// Strata applies this to the SDK's own <see cref="SocketsHttpHandler"/> rather than handing the CA
/// to <c>KubernetesClientConfiguration.SslCaCerts</c>: with a CA set, the SDK's check
/// (<c>Kubernetes.CertificateValidationCallBack</c>) accepts any certificate the CA signed, whatever
/// host name it is for; and it sends <c>tls-server-name</c> as the HTTP <c>Host</c> header of its typed
/// calls (so as their SNI too, but not on WebSockets) without checking the certificate against it.
/// See docs/kubernetes.md.
/// </remarks>
public sealed record ServerTrust
{
    /// <summary>Trust the system roots, check the server's host name.</summary>
    public static ServerTrust SystemRoots { get; } = new();

    /// <summary>CA certificates to trust for the server; the system roots when empty.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    /// <summary>Skip verification of the server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name to check the server certificate against and to send as SNI (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// Sets the certificate check on <paramref name="handler"/>, and with <see cref="TlsServerName"/> the connections
    /// that send it (<see cref="ServerNameConnector"/>: the handler ignores <c>SslOptions.TargetHost</c>).
    /// </summary>
    public void ApplyTo(SocketsHttpHandler handler)
    {
        if (TlsServerName is { } serverName)
        {
            handler.ConnectCallback = new ServerNameConnector(serverName, handler).ConnectAsync;
        }

        if (CertificateAuthorities.Count > 0 && !InsecureSkipTlsVerify)
        {
            // The chain is built once, against the kubeconfig's CA only (not the system store).
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(CertificateAuthorities);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
    }

    /// <summary>
    /// Whether the server's certificate is acceptable: with the chain built as <see cref="ApplyTo"/>
    /// asks (the kubeconfig's CA, or the system roots), no chain error, and the name right.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
        {
            return false;
        }

        // The platform checks the name the session was opened for: tls-server-name (ServerNameConnector), but the
        // URL's host through a proxy. tls-server-name replaces that name, so it is checked here.
        if (TlsServerName is not { } name)
        {
            return errors == SslPolicyErrors.None;
        }

        var cert = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return cert.MatchesHostname(name);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Strata.Sandbox.Security;

/// <summary>
/// The sandbox's own certificate authority: it signs the server certificate (for 127.0.0.1,
/// localhost and the in-cluster names, or only the names it is given) and the client certificates
/// it issues, as a kubeadm CA does.
/// </summary>
public sealed class SandboxCertificates : IDisposable
{
    private readonly ECDsa _caKey;
    private readonly TimeProvider _time;

    /// <summary>Creates the CA and the server certificate, for <paramref name="serverNames"/> alone when given.</summary>
    public SandboxCertificates(TimeProvider time, IReadOnlyList<string>? serverNames = null)
    {
        _time = time;
        var now = time.GetUtcNow();
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=strata-sandbox-ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        ServerCertificate = IssueServerCertificate(now, serverNames);
    }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server's certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The CA certificate in PEM, as kubeconfig's <c>certificate-authority-data</c> carries it.</summary>
    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>Issues a client certificate: CN is the user, each O a group. Returns PEM certificate and PKCS#8 key.</summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string user, IEnumerable<string> groups, bool rsa = false)
    {
        var subject = "CN=" + user + string.Concat(groups.Select(g => ", O=" + g));
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest(subject, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = _time.GetUtcNow();
        using var cert = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now.AddMinutes(-5), now.AddDays(7), RandomSerial());
        var keyPem = key is RSA rsaKey ? rsaKey.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem();
        return (cert.ExportCertificatePem(), keyPem);
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this CA and is in date.</summary>
    public bool Verify(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>An HTTP handler that trusts this CA, and only it: how a client reaches a server holding <see cref="ServerCertificate"/>.</summary>
    public HttpMessageHandler CreateTrustingHandler()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Authority);
        return new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } };
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Authority.Dispose();
        ServerCertificate.Dispose();
    }

    private X509Certificate2 IssueServerCertificate(DateTimeOffset now, IReadOnlyList<string>? serverNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (serverNames is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            serverNames = ["localhost", "kubernetes", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
        }

        foreach (var name in serverNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        using var cert = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now.AddMinutes(-5), now.AddDays(30), RandomSerial());
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static byte[] RandomSerial() => RandomNumberGenerator.GetBytes(16);
}

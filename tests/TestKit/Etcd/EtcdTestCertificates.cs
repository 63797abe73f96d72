using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Core.Configuration;
using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>
/// TLS material for a throwaway etcd, made here as a kubeadm etcd CA makes it, written as PEM files to a temporary
/// folder: a CA; a server certificate for 127.0.0.1, localhost and <see cref="ServerName"/> (serverAuth and
/// clientAuth, as etcd's peers use it both ways); a client certificate (clientAuth); and an unrelated second CA
/// for "wrong CA" tests, with a client certificate of its own. Disposing deletes the folder.
/// </summary>
public sealed class EtcdTestCertificates : IDisposable
{
    /// <summary>A DNS name the server certificate is also for (a <c>tlsServerName</c> that is not the endpoint's host).</summary>
    public const string ServerName = "etcd.strata.test";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private EtcdTestCertificates(string folder) => Folder = folder;

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The CA certificate (PEM).</summary>
    public string CaFile => Path.Combine(Folder, "ca.crt");

    /// <summary>The server certificate (PEM).</summary>
    public string ServerCertificateFile => Path.Combine(Folder, "server.crt");

    /// <summary>The server's key (PKCS#8 PEM).</summary>
    public string ServerKeyFile => Path.Combine(Folder, "server.key");

    /// <summary>The client certificate (PEM), as kubeadm's <c>apiserver-etcd-client.crt</c>.</summary>
    public string ClientCertificateFile => Path.Combine(Folder, "client.crt");

    /// <summary>The client's key (SEC1 <c>EC PRIVATE KEY</c> PEM).</summary>
    public string ClientKeyFile => Path.Combine(Folder, "client.key");

    /// <summary>A CA that signed nothing here (PEM): a server checked against it is not trusted.</summary>
    public string OtherCaFile => Path.Combine(Folder, "other-ca.crt");

    /// <summary>A client certificate the other CA issued (PEM): a member refuses it.</summary>
    public string OtherClientCertificateFile => Path.Combine(Folder, "other-client.crt");

    /// <summary>Its key (PKCS#8 PEM).</summary>
    public string OtherClientKeyFile => Path.Combine(Folder, "other-client.key");

    /// <summary><see cref="CaFile"/> as a <c>file:</c> reference.</summary>
    public SecretReference CaReference => new(SecretSource.File, CaFile);

    /// <summary><see cref="ClientCertificateFile"/> as a <c>file:</c> reference.</summary>
    public SecretReference ClientCertificateReference => new(SecretSource.File, ClientCertificateFile);

    /// <summary><see cref="ClientKeyFile"/> as a <c>file:</c> reference.</summary>
    public SecretReference ClientKeyReference => new(SecretSource.File, ClientKeyFile);

    /// <summary><see cref="OtherCaFile"/> as a <c>file:</c> reference.</summary>
    public SecretReference OtherCaReference => new(SecretSource.File, OtherCaFile);

    /// <summary>Makes the certificates (valid from five minutes ago for 30 days) in a new temporary folder.</summary>
    public static EtcdTestCertificates Create(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var certificates = new EtcdTestCertificates(Directory.CreateTempSubdirectory("strata-etcd-pki-").FullName);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = Authority("CN=strata-test-etcd-ca", caKey, now);
        File.WriteAllText(certificates.CaFile, ca.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(ServerName);
        using var server = Issue("CN=strata-test-etcd", serverKey, ca, caKey, now, [ServerAuth, ClientAuth], names.Build());
        File.WriteAllText(certificates.ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(certificates.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = Issue("CN=kube-apiserver-etcd-client, O=system:masters", clientKey, ca, caKey, now, [ClientAuth], null);
        File.WriteAllText(certificates.ClientCertificateFile, client.ExportCertificatePem());
        File.WriteAllText(certificates.ClientKeyFile, clientKey.ExportECPrivateKeyPem());

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = Authority("CN=strata-test-unrelated-ca", otherKey, now);
        File.WriteAllText(certificates.OtherCaFile, other.ExportCertificatePem());
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = Issue("CN=stranger", strangerKey, other, otherKey, now, [ClientAuth], null);
        File.WriteAllText(certificates.OtherClientCertificateFile, stranger.ExportCertificatePem());
        File.WriteAllText(certificates.OtherClientKeyFile, strangerKey.ExportPkcs8PrivateKeyPem());
        return certificates;
    }

    /// <summary>How a client reaches <paramref name="endpoints"/> with this CA and client certificate.</summary>
    public EtcdAccess Access(params Uri[] endpoints) => new()
    {
        Endpoints = endpoints,
        CertificateAuthority = CaReference,
        ClientCertificate = ClientCertificateReference,
        ClientKey = ClientKeyReference,
    };

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static X509Certificate2 Authority(string subject, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
    }

    private static X509Certificate2 Issue(
        string subject, ECDsa key, X509Certificate2 ca, ECDsa caKey, DateTimeOffset now, Oid[] usages, X509Extension? names)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
    }
}

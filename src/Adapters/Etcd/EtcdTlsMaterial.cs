using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.Core.Ports;

namespace Strata.Adapters.Etcd;

/// <summary>
/// The CA and client certificate of an <see cref="EtcdAccess"/>, read through <see cref="ISecretValues"/> and parsed in
/// memory (nothing is written to disk). Messages name the reference, never a value.
/// </summary>
internal sealed class EtcdTlsMaterial : IDisposable
{
    private EtcdTlsMaterial(EtcdAccess access, X509Certificate2Collection authorities, X509Certificate2? client, X509Certificate2Collection clientChain)
    {
        Access = access;
        Authorities = authorities;
        Client = client;
        ClientChain = clientChain;
    }

    /// <summary>Where the material came from (its references, for messages).</summary>
    public EtcdAccess Access { get; }

    /// <summary>The CA certificates the servers must chain to; empty for the system roots.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>The client certificate with its private key; null when none is configured.</summary>
    public X509Certificate2? Client { get; }

    /// <summary>Certificates after the first in the client certificate's PEM (intermediates), sent with it.</summary>
    public X509Certificate2Collection ClientChain { get; }

    /// <summary>Reads and parses the material <paramref name="access"/> names.</summary>
    public static async Task<EtcdTlsMaterial> ReadAsync(EtcdAccess access, ISecretValues secrets, CancellationToken cancellationToken = default)
    {
        var authorities = new X509Certificate2Collection();
        if (access.CertificateAuthority is { } caReference)
        {
            var pem = await ResolveAsync(secrets, caReference, "certificateAuthority", cancellationToken);
            authorities = ParseCertificates(pem, caReference, "certificateAuthority");
        }

        switch (access.ClientCertificate, access.ClientKey)
        {
            case (null, null):
                return new EtcdTlsMaterial(access, authorities, null, []);
            case (null, { } key):
                throw new EtcdRequestException($"etcd clientKey {key} is configured without clientCertificate", isTransient: false);
            case ({ } certificate, null):
                throw new EtcdRequestException($"etcd clientCertificate {certificate} is configured without clientKey", isTransient: false);
        }

        var certificateReference = access.ClientCertificate!;
        var keyReference = access.ClientKey!;
        var certificatePem = await ResolveAsync(secrets, certificateReference, "clientCertificate", cancellationToken);
        var keyPem = await ResolveAsync(secrets, keyReference, "clientKey", cancellationToken);
        var chain = ParseCertificates(certificatePem, certificateReference, "clientCertificate");
        chain.RemoveAt(0);
        return new EtcdTlsMaterial(access, authorities, ClientCertificate(certificatePem, keyPem, certificateReference, keyReference), chain);
    }

    public void Dispose()
    {
        Client?.Dispose();
        foreach (var certificate in Authorities.Concat(ClientChain))
        {
            certificate.Dispose();
        }
    }

    private static async Task<string> ResolveAsync(ISecretValues secrets, SecretReference reference, string field, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.ResolveAsync(reference, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The resolver's message names the reference and why (not set, no such file, Key Vault's answer).
            throw new EtcdRequestException($"etcd {field} {reference} cannot be read: {e.Message}", isTransient: false, e);
        }
    }

    private static X509Certificate2Collection ParseCertificates(string pem, SecretReference reference, string field)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new EtcdRequestException($"etcd {field} {reference} is not PEM certificates ({e.Message})", isTransient: false, e);
        }

        return certificates.Count > 0
            ? certificates
            : throw new EtcdRequestException($"etcd {field} {reference} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", isTransient: false);
    }

    private static X509Certificate2 ClientCertificate(string certificatePem, string keyPem, SecretReference certificate, SecretReference key)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);

            // A PKCS#12 round trip gives the key a form every TLS stack can use for client authentication.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new EtcdRequestException(
                $"etcd clientKey {key} is not an unencrypted PEM private key of clientCertificate {certificate} ({e.Message})", isTransient: false, e);
        }
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>Client certificates from PEM (RSA or EC keys, PKCS#1, SEC1 or PKCS#8).</summary>
internal static class ClientCertificates
{
    public static X509Certificate2 FromPem(string certificatePem, string keyPem, string where)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // A PKCS#12 round trip gives the key a form every TLS stack can use for client auth.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigException($"{where}: client certificate or key is not usable PEM ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new KubeconfigException($"{where}: client certificate or key is not usable PEM ({e.Message})", e);
        }
    }
}

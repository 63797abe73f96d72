using System.Security.Cryptography.X509Certificates;
using k8s;
using Strata.Adapters.Kubernetes.Credentials;

namespace Strata.Adapters.Kubernetes.Configuration;

/// <summary>
/// The configuration a pod gets: <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, and the mounted
/// service-account token (re-read, since it rotates), CA and namespace.
/// </summary>
/// <remarks>
/// The SDK's <c>KubernetesClientConfiguration.InClusterConfig()</c> reads the same, but only from the
/// process environment and the fixed mount point; this takes both as parameters so the path users
/// run is the path the tests run, and its token is a <see cref="TokenFileCredential"/> that is
/// re-read when the server refuses it.
/// </remarks>
public static class InClusterConfiguration
{
    /// <summary>The default mount point of the service-account volume.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Whether this process runs in a pod.</summary>
    public static bool IsAvailable(Func<string, string?>? environment = null, string directory = ServiceAccountDirectory)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && File.Exists(Path.Combine(directory, "token"));
    }

    /// <summary>The in-cluster connection.</summary>
    public static ClusterConnection Load(Func<string, string?>? environment = null, string directory = ServiceAccountDirectory, TimeProvider? time = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeconfigException("in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        var where = $"in-cluster service account ({directory})";
        var authorities = new X509Certificate2Collection();
        var caPath = Path.Combine(directory, "ca.crt");
        if (File.Exists(caPath))
        {
            authorities.ImportFromPemFile(caPath);
        }

        var nsPath = Path.Combine(directory, "namespace");
        var hostPart = host.Contains(':') ? $"[{host}]" : host;
        var token = new TokenFileCredential(Path.Combine(directory, "token"), where, time ?? TimeProvider.System);
        return new ClusterConnection
        {
            Name = "in-cluster",
            Configuration = new KubernetesClientConfiguration
            {
                Host = $"https://{hostPart}:{port}",
                TokenProvider = new CredentialTokenProvider(token),
                Namespace = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : null,
            },
            Trust = new ServerTrust { CertificateAuthorities = authorities },
            Source = where,
        };
    }
}

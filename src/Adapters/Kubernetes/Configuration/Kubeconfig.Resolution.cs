using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using Strata.Adapters.Kubernetes.Credentials;

namespace Strata.Adapters.Kubernetes.Configuration;

/// <summary>Turns a context of the merged kubeconfig into a <see cref="ClusterConnection"/>.</summary>
public sealed partial class Kubeconfig
{
    /// <summary>Resolves <paramref name="contextName"/> (default: <c>current-context</c>).</summary>
    public ClusterConnection Resolve(string? contextName = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var files = string.Join(", ", _files);
        var name = string.IsNullOrEmpty(contextName) ? CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeconfigException($"kubeconfig {files}: no current-context is set; pass --context (known: {Known(_contexts.Keys)})");
        }

        if (!_contexts.TryGetValue(name, out var context))
        {
            throw new KubeconfigException($"kubeconfig {files}: context \"{name}\" not found (known: {Known(_contexts.Keys)})");
        }

        if (string.IsNullOrEmpty(context.Entry.Cluster) || !_clusters.TryGetValue(context.Entry.Cluster, out var cluster))
        {
            throw new KubeconfigException($"kubeconfig {context.File}: context \"{name}\" refers to cluster \"{context.Entry.Cluster}\", which is not defined");
        }

        var where = $"kubeconfig {cluster.File}, cluster \"{context.Entry.Cluster}\"";
        if (!Uri.TryCreate(cluster.Entry.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigException($"{where}: server \"{cluster.Entry.Server}\" is not an http(s) URL");
        }

        (UserEntry Entry, string File)? user = null;
        if (!string.IsNullOrEmpty(context.Entry.User))
        {
            user = _users.TryGetValue(context.Entry.User, out var u)
                ? u
                : throw new KubeconfigException($"kubeconfig {context.File}: context \"{name}\" refers to user \"{context.Entry.User}\", which is not defined");
        }

        var configuration = new KubernetesClientConfiguration { Host = server.ToString(), Namespace = context.Entry.Namespace };
        if (user is { } found)
        {
            ApplyUser(configuration, found.Entry, $"kubeconfig {found.File}, user \"{context.Entry.User}\"", server, cluster.Entry, time);
        }

        return new ClusterConnection
        {
            Name = name,
            Configuration = configuration,
            Trust = new ServerTrust
            {
                CertificateAuthorities = Authorities(cluster.Entry, where),
                InsecureSkipTlsVerify = cluster.Entry.InsecureSkipTlsVerify,
                TlsServerName = string.IsNullOrEmpty(cluster.Entry.TlsServerName) ? null : cluster.Entry.TlsServerName,
            },
            Source = files,
        };
    }

    private static X509Certificate2Collection Authorities(ClusterEntry cluster, string where)
    {
        var pem = ReadPem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, "certificate-authority", where);
        var collection = new X509Certificate2Collection();
        if (pem is null)
        {
            return collection;
        }

        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigException($"{where}: certificate-authority is not a PEM certificate ({e.Message})", e);
        }

        return collection.Count > 0 ? collection : throw new KubeconfigException($"{where}: certificate-authority holds no certificate");
    }

    /// <summary>
    /// The user's credentials: a fixed token or client certificate go to the SDK as they are; an
    /// exec plugin or a token file become a <see cref="CredentialTokenProvider"/> Strata refreshes.
    /// Precedence as in client-go: exec, then token, then tokenFile.
    /// </summary>
    private static void ApplyUser(KubernetesClientConfiguration configuration, UserEntry user, string where, Uri server, ClusterEntry cluster, TimeProvider time)
    {
        if (user.HasAuthProvider)
        {
            throw new KubeconfigException($"{where}: auth-provider plugins were removed from Kubernetes clients; use an exec plugin (kubelogin, gke-gcloud-auth-plugin, aws eks get-token)");
        }

        if (!string.IsNullOrEmpty(user.Username))
        {
            throw new KubeconfigException($"{where}: basic authentication (username/password) is not supported by Kubernetes since 1.19");
        }

        var certPem = ReadPem(user.ClientCertificateData, user.ClientCertificate, "client-certificate", where);
        var keyPem = ReadPem(user.ClientKeyData, user.ClientKey, "client-key", where);
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeconfigException($"{where}: client-certificate and client-key must be given together");
        }

        if (user.Exec is { } exec)
        {
            // The plugin may return a certificate of its own; the kubeconfig's is its fallback.
            var fallback = certPem is null ? null : ClientCertificates.FromPem(certPem, keyPem!, where);
            configuration.TokenProvider = new CredentialTokenProvider(new ExecCredentialPlugin(exec, where, server, cluster, time) { StaticCertificate = fallback });
            return;
        }

        if (certPem is not null)
        {
            configuration.ClientCertificateData = Base64(certPem);
            configuration.ClientCertificateKeyData = Base64(keyPem!);
        }

        if (!string.IsNullOrEmpty(user.Token))
        {
            configuration.AccessToken = user.Token;
        }
        else if (!string.IsNullOrEmpty(user.TokenFile))
        {
            configuration.TokenProvider = new CredentialTokenProvider(new TokenFileCredential(user.TokenFile, where, time));
        }
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    private static string? ReadPem(string? data, string? path, string field, string where)
    {
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeconfigException($"{where}: {field}-data is not valid base64", e);
            }
        }

        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"{where}: {field} {path} cannot be read ({e.Message})", e);
        }
    }

    private static string Known(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}

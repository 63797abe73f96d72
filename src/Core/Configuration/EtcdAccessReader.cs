using Strata.Core.Etcd;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a cluster's <c>etcd:</c> — the members' client URLs, the CA, client certificate and key as secret references,
/// the TLS server name and the dial timeout — every problem located. TLS material goes with <c>https</c> endpoints only,
/// and the certificate with its key.
/// </summary>
internal static class EtcdAccessReader
{
    /// <summary>The longest dial timeout: a member that takes longer to answer a status call is as good as down.</summary>
    private static readonly TimeSpan MaxDialTimeout = TimeSpan.FromMinutes(5);

    public static EtcdAccess? Read(ConfigurationReader reader, YamlMappingNode cluster, string clusterPath)
    {
        var path = $"{clusterPath}.etcd";
        if (reader.Child(cluster, "etcd") is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "endpoints", "ca", "cert", "key", "tlsServerName", "dialTimeout");
        var endpoints = reader.List(map, "endpoints", required: true, Endpoint, path);
        var ca = reader.Secret(map, path, "ca", "the CA certificate is named by a reference, not written here");
        var cert = reader.Secret(map, path, "cert", "the client certificate is named by a reference, not written here");
        var key = reader.Secret(map, path, "key");
        var serverName = reader.OptionalString(map, path, "tlsServerName");
        if ((cert is null) != (key is null))
        {
            reader.Error(map, path, "'cert' and 'key' go together: the client certificate and its private key");
        }

        var schemes = endpoints.Select(e => e.Scheme).Distinct(StringComparer.Ordinal).ToList();
        if (schemes.Count > 1)
        {
            reader.Error(reader.Child(map, "endpoints")!, $"{path}.endpoints", "the endpoints mix http and https: one etcd cluster serves its clients one way");
        }
        else if (schemes is ["http"])
        {
            foreach (var field in new[] { "ca", "cert", "key", "tlsServerName" }.Where(f => reader.Child(map, f) is not null))
            {
                reader.Error(reader.Child(map, field)!, $"{path}.{field}", $"'{field}' goes with https endpoints; these are http (no TLS)");
            }
        }

        var dialTimeout = reader.Duration(map, path, "dialTimeout");
        if (dialTimeout > MaxDialTimeout)
        {
            reader.Error(reader.Child(map, "dialTimeout")!, $"{path}.dialTimeout", $"'{reader.OptionalString(map, path, "dialTimeout")}' is longer than {DurationText.Format(MaxDialTimeout)}");
        }

        var defaults = new EtcdAccess { Endpoints = [] };
        return endpoints.Count == 0 ? null : new EtcdAccess
        {
            Endpoints = endpoints,
            CertificateAuthority = ca,
            ClientCertificate = cert,
            ClientKey = key,
            TlsServerName = serverName,
            DialTimeout = dialTimeout ?? defaults.DialTimeout,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static Uri? Endpoint(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Scalar(node, path) is not { } text)
        {
            return null;
        }

        string? problem = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problem = "is not an absolute http(s) URL (https://10.0.0.11:2379)";
        }
        else if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "has a path, query or fragment: give the member's client URL only (scheme, host and port)";
        }
        else if (uri.UserInfo.Length > 0)
        {
            problem = "carries user information: etcd clients authenticate with 'cert' and 'key'";
        }

        if (problem is null)
        {
            return uri;
        }

        // The value itself is repeated only when it does not carry user information.
        reader.Error(node, path, uri is { UserInfo.Length: > 0 } ? $"the endpoint {problem}" : $"'{text}' {problem}");
        return null;
    }
}

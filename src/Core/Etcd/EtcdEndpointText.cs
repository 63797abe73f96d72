namespace Strata.Core.Etcd;

/// <summary>How an etcd endpoint is written in records and messages.</summary>
public static class EtcdEndpointText
{
    /// <summary>Scheme, host and port, without the trailing '/' a <see cref="Uri"/> adds (<c>https://10.0.0.11:2379</c>).</summary>
    public static string Describe(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);
}
